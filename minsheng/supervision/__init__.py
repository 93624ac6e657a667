"""督办: the office's own ledger — what it put under supervision, the units' replies, its 销号 and 核验.

Everything else minsheng records is what units say about themselves; this is
what the 督查 office did. One append-only file per year in the data directory
(``supervision-2024.yaml``) holds dated entries: an action (挂牌督办, 督办函,
现场督查, 约谈, 通报批评 …, with its 整改要求 and 整改时限), a unit's reply, the
office's closing (销号, with the check made), a correction (which keeps what
it corrects) and a verification (核验销号) of an indicator, item or area.

Layers as in the rest of minsheng: ``model`` (dataclasses), ``load``
(file → entries + located problems), ``compute`` (pure: states, lights per
period, suggested escalations, the year's 考评), ``write`` (the one append
path), ``view`` (plain values every renderer draws from).
"""
