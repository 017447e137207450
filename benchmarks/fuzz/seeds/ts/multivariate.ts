@problemName Multi
@timeStamps false
@univariate false
@dimensions 2
@equalLength true
@seriesLength 3
@classLabel true 1 2
@data
1,2,3:4,5,6:1
-1,0.5,NaN:7,8,9:2
