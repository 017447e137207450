@problemName NoLabels
@univariate true
@equalLength true
@seriesLength 2
@classLabel false
@data
1,2
3,4
