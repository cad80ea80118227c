print("tender")
