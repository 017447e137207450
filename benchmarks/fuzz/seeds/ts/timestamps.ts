@problemName Stamps
@timeStamps true
@univariate true
@classLabel true a b
@data
(1,2.0),(2,3.5):a
(0,1),(1,1),(2,9):b
