"""Renderers: each turns a computed report value into one output format.

They never compute (that is :mod:`minsheng.compute`), never read data files and
never exit; :mod:`minsheng.cli` picks one by ``--format``.
"""
