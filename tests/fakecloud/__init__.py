"""fakecloud: stand-in aws / azure-native / random provider plugins — a TEST DOUBLE.

They let the real Pulumi engine run the examples end to end without a cloud; they are
never part of the product. See server.py (the protocol), clouds.py (what each stand-in
answers) and install.py (how `make env` puts them in place while offline).
"""
