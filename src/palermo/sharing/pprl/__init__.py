"""Privacy-preserving record linkage (PPRL) between two partner nodes (docs/pprl.md).

Persons are encoded as keyed Bloom filters, one per field, under a secret only the two partners can derive
(``keys``); the receiving node matches encodings against its own with Dice similarity, blocking and one-to-one
assignment (``match``), and each match is explained by the encoded fields that agreed. ``protocol`` carries
encodings between nodes as signed, encrypted bundles and answers hit/no-hit per encoded record.

    key = PprlKey(secret)                           # or partnership_key(...) between two nodes
    a = encode_people([PersonFields("Ivan Petrov", "1980-01-02")], key, pprl_config())
    match(a, b, pprl_config().dice_threshold)       # -> [Match(left, right, score)]
    explain(a, b, 0, 0)                             # -> Score with one feature per field
"""

from palermo.sharing.pprl.config import PprlConfig, pprl_config
from palermo.sharing.pprl.encode import EncodedSet, encode_people, from_wire, to_wire
from palermo.sharing.pprl.fields import PersonFields
from palermo.sharing.pprl.keys import PprlKey, partnership_key
from palermo.sharing.pprl.match import Match, explain, match

__all__ = [
    "EncodedSet",
    "Match",
    "PersonFields",
    "PprlConfig",
    "PprlKey",
    "encode_people",
    "explain",
    "from_wire",
    "match",
    "partnership_key",
    "pprl_config",
    "to_wire",
]
