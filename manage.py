#!/usr/bin/env python
"""Django's usual entry point; `goldenthread` (the installed command) does the same."""

from goldenthread.__main__ import main

if __name__ == "__main__":
    main()
