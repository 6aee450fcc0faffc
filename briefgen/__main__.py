"""`python -m briefgen` is the `briefgen` command."""

from briefgen.cli import main

if __name__ == "__main__":
    main()
