"""Entry point of the mlserving provider plugin (run by the Pulumi python language host)."""

import sys

from mlserving_provider.provider import main

if __name__ == "__main__":
    main(sys.argv[1:])
