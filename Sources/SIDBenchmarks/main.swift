import SpeedDomain
print("bench")
