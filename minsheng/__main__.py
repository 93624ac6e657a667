"""`python -m minsheng`: the console script's entry point (:mod:`minsheng.entry`)."""

from minsheng.entry import main

main()
