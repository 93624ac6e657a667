"""minsheng: track a district's yearly 民生实事 (livelihood projects) against time.

Data flows one way: files -> :mod:`load` -> :mod:`checks` -> :mod:`compute`
-> :mod:`render` -> :mod:`cli`.
"""

__version__ = "0.1.0"
