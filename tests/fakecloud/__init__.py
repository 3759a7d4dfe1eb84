"""fakecloud: stand-in aws / azure-native / random provider plugins — a TEST DOUBLE.

They let the real Pulumi engine run the examples end to end without a cloud; they are
never part of the product. See server.py (the protocol), clouds.py (what each stand-in
answers), rules.py (the cloud-rule table: what the real clouds and providers refuse or
do, each rule with its source), state.py (the cloud-side state that `Read` answers from),
drift.py (changing that state behind Pulumi's back, making an endpoint's alarm fire, an
update or an invoke fail, a quota rise), kms.py (whether a retained object can still be decrypted),
sdk.py (facts about inputs from the real providers' SDKs) and install.py (how `make env`
puts them in place while offline).
"""
