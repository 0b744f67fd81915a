"""BitArray: the shots of one classical register, counted without numpy.

Three storage forms, each kept as received so nothing is copied or expanded up front:
- packed bytes (qiskit's encoded form): C-order ``uint8`` of shape
  ``(*shape, num_shots, ceil(num_bits / 8))``, each shot big-endian (the last byte holds
  bits 0-7, bit 0 being the rightmost character of a bit string);
- hex strings (the REST form): one ``"0x..."`` string per shot, nested per ``shape``;
- bit strings (executor results, whose booleans convert to them most cheaply): one string
  per shot, every element of ``shape`` after the other, or a function returning them.

Counting works on the raw shots (machine words or hex strings, hashed in C by ``Counter``)
and converts only the distinct outcomes to bit strings, all at once; unless nearly every shot
differs (``_mostly_distinct``), when converting every shot and counting the bit strings is
cheaper.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from iqp_wrapper.primitives.errors import ResultFormatError

if TYPE_CHECKING:  # numpy is optional: imported only inside to_numpy()
    import numpy  # type: ignore[import-not-found, unused-ignore]

Index = int | tuple[int, ...]
K = TypeVar("K")
V = TypeVar("V")

_PROBE = 512  # shots looked at to decide how to count

# Unsigned machine words by size, as array/memoryview typecodes (sizes fixed by the
# "=" standard sizes of struct, which memoryview.cast uses).
_WordCode = Literal["B", "H", "I", "Q"]
_WORDS: tuple[tuple[int, _WordCode], ...] = ((1, "B"), (2, "H"), (4, "I"), (8, "Q"))


class BitArray:
    """The measured bits of one register: ``num_shots`` shots of ``num_bits`` bits for every
    element of ``shape`` (the PUB's parameter sweep; ``()`` for a single circuit)."""

    __slots__ = (
        "_hex",
        "_num_shots",
        "_packed",
        "_pub",
        "_register",
        "_source",
        "_strings",
        "num_bits",
        "shape",
    )

    def __init__(
        self,
        *,
        num_bits: int,
        shape: tuple[int, ...],
        num_shots: int,
        packed: bytes | None = None,
        source: Callable[[], bytes] | None = None,
        hex_shots: list[list[str]] | None = None,
        strings: list[str] | Callable[[], list[str]] | None = None,
        pub: int | None = None,
        register: str = "",
    ) -> None:
        self.num_bits = num_bits
        self.shape = shape
        self._num_shots = num_shots
        self._packed = packed
        self._source = source
        self._hex = hex_shots
        self._strings = strings
        self._pub = pub
        self._register = register

    @classmethod
    def from_packed(
        cls,
        data: bytes | Callable[[], bytes],
        *,
        shape: tuple[int, ...],
        num_shots: int,
        num_bits: int,
        pub: int | None = None,
        register: str = "",
    ) -> BitArray:
        """Shots as packed big-endian bytes, C order, shape ``(*shape, num_shots, bytes per shot)``;
        or a function returning them, called on each use (the decoded bytes are not kept, so a
        large result costs memory only for the PUB being read)."""
        packed, source = (data, None) if isinstance(data, bytes) else (None, data)
        return cls(
            num_bits=num_bits,
            shape=shape,
            num_shots=num_shots,
            packed=packed,
            source=source,
            pub=pub,
            register=register,
        )

    @classmethod
    def from_hex(
        cls,
        samples: list[list[str]],
        *,
        shape: tuple[int, ...],
        num_bits: int,
        pub: int | None = None,
        register: str = "",
    ) -> BitArray:
        """Shots as hex strings, one list of shots per element of ``shape`` (C order)."""
        num_shots = len(samples[0]) if samples else 0
        return cls(
            num_bits=num_bits, shape=shape, num_shots=num_shots, hex_shots=samples, pub=pub, register=register
        )

    @classmethod
    def from_bit_strings(
        cls,
        data: list[str] | Callable[[], list[str]],
        *,
        shape: tuple[int, ...],
        num_shots: int,
        num_bits: int,
        pub: int | None = None,
        register: str = "",
    ) -> BitArray:
        """Shots as bit strings of ``num_bits`` characters (bit 0 rightmost), C order: the
        shots of each element of ``shape`` in turn; or a function returning them, called on
        each use. Other than ``size * num_shots`` strings are refused when read (a
        ResultFormatError naming ``pub`` and ``register``)."""
        return cls(
            num_bits=num_bits, shape=shape, num_shots=num_shots, strings=data, pub=pub, register=register
        )

    @property
    def num_shots(self) -> int:
        """Shots per element of ``shape``."""
        return self._num_shots

    @property
    def size(self) -> int:
        """Elements of ``shape`` (1 for a single circuit)."""
        return math.prod(self.shape)

    @property
    def num_bytes(self) -> int:
        return (self.num_bits + 7) // 8

    def __repr__(self) -> str:
        return f"BitArray(num_shots={self.num_shots}, num_bits={self.num_bits}, shape={self.shape})"

    # -- counting ---------------------------------------------------------------

    def get_counts(self, loc: Index | None = None) -> dict[str, int]:
        """How often each outcome was measured, keyed by bit string (bit 0 rightmost).

        ``loc`` picks one element of ``shape``; None counts the shots of all of them.
        """
        if self._strings is not None:
            return _count_all(self._string_rows(loc))
        elements = self._elements(loc)
        shots_of = self._raw_shots()
        if elements and _mostly_distinct(shots_of(elements[0])):
            # Nearly every shot differs: convert every shot, then count the bit strings.
            return _count_all(self._raw_to_bits(list(shots_of(element))) for element in elements)
        return _rekey(_count(map(shots_of, elements)), self._raw_to_bits)

    def get_int_counts(self, loc: Index | None = None) -> dict[int, int]:
        """How often each outcome was measured, keyed by its value as an integer."""
        if self._strings is not None:
            return {int(key or "0", 2): n for key, n in self.get_counts(loc).items()}
        return _rekey(_count(map(self._raw_shots(), self._elements(loc))), self._raw_to_ints)

    def get_bitstrings(self, loc: Index | None = None) -> list[str]:
        """Every shot as a bit string, in the order measured."""
        shots: list[str] = []
        for element_shots in self._bit_rows(loc):
            shots.extend(element_shots)
        return shots

    def to_numpy(self) -> numpy.ndarray:  # type: ignore[type-arg, unused-ignore]
        """The shots as qiskit's ``BitArray.array`` holds them: ``uint8`` of shape
        ``(*shape, num_shots, bytes per shot)``. Needs numpy (an optional dependency)."""
        import numpy  # type: ignore[import-not-found, unused-ignore]

        nb = self.num_bytes
        if self._strings is not None:
            data = b"".join(int(s or "0", 2).to_bytes(nb, "big") for s in self.get_bitstrings())
        elif self._hex is None:
            data = self._load()
        else:
            data = b"".join(
                value.to_bytes(nb, "big") for row in self._hex or [] for value in self._hex_to_ints(row)
            )
        shots = numpy.frombuffer(data, dtype=numpy.uint8)
        return shots.reshape((*self.shape, self.num_shots, nb)).copy()  # type: ignore[no-any-return, unused-ignore]

    # -- internals --------------------------------------------------------------

    def _fail(self, message: str) -> ResultFormatError:
        return ResultFormatError(message, pub=self._pub, field=self._register)

    def _elements(self, loc: Index | None) -> Sequence[int]:
        if loc is None:
            return range(self.size)
        index = (loc,) if isinstance(loc, int) else loc
        if len(index) != len(self.shape):
            raise IndexError(f"loc {loc!r} does not index shape {self.shape}")
        flat = 0
        for i, d in zip(index, self.shape, strict=True):
            if i < 0:
                i += d
            if not 0 <= i < d:
                raise IndexError(f"loc {loc!r} is out of range for shape {self.shape}")
            flat = flat * d + i
        return (flat,)

    def _bit_rows(self, loc: Index | None) -> Iterator[list[str]]:
        """Every shot as a bit string, one list per element of ``shape``."""
        if self._strings is not None:
            yield from self._string_rows(loc)
            return
        shots_of = self._raw_shots()
        for element in self._elements(loc):
            yield self._raw_to_bits(list(shots_of(element)))

    def _string_rows(self, loc: Index | None) -> Iterator[list[str]]:
        assert self._strings is not None
        strings = self._strings if isinstance(self._strings, list) else self._strings()
        n = self.num_shots
        if len(strings) != self.size * n:
            # Slicing would quietly lose shots (or ignore some): refused instead.
            raise self._fail(f"{len(strings)} bit strings given for {self.size} x {n} shots")
        for element in self._elements(loc):
            yield strings[element * n : (element + 1) * n]

    def _raw_shots(self) -> Callable[[int], Sequence[Hashable]]:
        """The raw shots of an element of ``shape``, by element: its hex strings, or its
        packed shots as ``_packed_shots`` keys. Shots made by a function are made here,
        once for all the elements read through what it returns."""
        if self._hex is not None:
            return self._hex.__getitem__
        packed = self._load()
        return lambda element: self._packed_shots(element, packed)

    def _raw_to_bits(self, keys: list[Any]) -> list[str]:
        """Raw shots (see ``_raw_shots``) as bit strings, all at once."""
        return self._hex_to_bits(keys) if self._hex is not None else self._keys_to_bits(keys)

    def _raw_to_ints(self, keys: list[Any]) -> list[int]:
        """Raw shots (see ``_raw_shots``) as integers, all at once."""
        return self._hex_to_ints(keys) if self._hex is not None else self._keys_to_ints(keys)

    def _hex_to_bits(self, keys: list[str]) -> list[str]:
        # All keys at once: left-pad each to the same width, join, read as one integer,
        # print it in binary and cut that at fixed strides. Every step runs in C; a
        # per-key int()/format() would cost several times more (see benchmarks/primitives.py).
        if not keys:
            return []
        digits = (self.num_bits + 3) // 4
        try:
            # "0x3".zfill(w) pads before the "0x"; dropping the "x" leaves digits + 1 hex digits.
            text = "".join(map(str.zfill, keys, repeat(digits + 2))).replace("x", "")
            # Never empty for real keys (each is padded to digits + 2 characters): only keys
            # of nothing but "x" leave nothing, and those are refused here.
            value = int(text, 16)
        except (TypeError, ValueError):
            raise self._fail("samples must be hex strings such as '0x3'") from None
        if len(text) != (digits + 1) * len(keys):
            raise self._fail(f"a sample has more hex digits than num_bits={self.num_bits} allows")
        return self._cut_bits(value, len(keys), 4 * (digits + 1))

    def _hex_to_ints(self, keys: list[str]) -> list[int]:
        try:
            values = list(map(int, keys, repeat(16)))
        except (TypeError, ValueError):
            raise self._fail("samples must be hex strings such as '0x3'") from None
        if values and max(values) >> self.num_bits:
            raise self._fail(f"a sample does not fit in num_bits={self.num_bits}")
        return values

    def _cut_bits(self, value: int, count: int, stride: int) -> list[str]:
        """Split ``value``, printed as ``count`` binary fields of ``stride`` bits, into the
        low ``num_bits`` bits of each field; the high bits must be zero."""
        n = self.num_bits
        pad = stride - n
        text = bytearray(format(value, f"0{stride * count}b").encode())  # digits: ASCII in UTF-8
        for column in range(pad):
            if b"1" in text[column::stride]:
                raise self._fail(f"a shot does not fit in num_bits={n}")
            # The first padding column becomes the separator, the others are dropped.
            text[column::stride] = (b"\n" if column == 0 else b"-") * count
        bits = text.translate(None, b"-").decode().split("\n")
        del bits[0]
        return bits

    def _load(self) -> bytes:
        if self._packed is not None:
            return self._packed
        assert self._source is not None
        return self._source()

    def _word(self) -> tuple[int, _WordCode] | None:
        """The smallest machine word (bytes, array typecode) a shot fits in with a spare
        high bit (so never fewer bytes than a shot); None when shots are wider than 63 bits."""
        for width, code in _WORDS:
            if 8 * width > self.num_bits:
                return width, code
        return None

    def _packed_shots(self, element: int, packed: bytes) -> Sequence[int] | list[bytes]:
        """The shots of one element of ``shape`` as hashable keys: machine words (each
        shot's bytes, zero-padded in front, read as one unsigned integer) or, for shots
        wider than 63 bits, one bytes object per shot. Both are made in C."""
        nb = self.num_bytes
        start = element * self.num_shots * nb
        stop = start + self.num_shots * nb
        word = self._word()
        if word is None:
            take = packed.__getitem__
            return list(map(take, map(slice, range(start, stop, nb), range(start + nb, stop + nb, nb))))
        width, code = word
        chunk = packed[start:stop]
        if width != nb:
            # Strided copies put byte j of every shot at offset width - nb + j of its word.
            words = bytearray(width * self.num_shots)
            for j in range(nb):
                words[width - nb + j :: width] = chunk[j::nb]
            chunk = bytes(words)
        return memoryview(chunk).cast(code)

    def _keys_to_bytes(self, keys: list[Any]) -> tuple[bytes, int]:
        """Keys from _packed_shots back to their bytes, all joined; and the bytes per key."""
        word = self._word()
        if word is None:
            # A zero byte before every key leaves a padding column to cut at.
            return b"\0" + b"\0".join(keys), self.num_bytes + 1
        width, code = word
        return array(code, keys).tobytes(), width

    def _keys_to_bits(self, keys: list[Any]) -> list[str]:
        if not keys:
            return []
        raw, width = self._keys_to_bytes(keys)
        return self._cut_bits(int.from_bytes(raw, "big"), len(keys), 8 * width)

    def _keys_to_ints(self, keys: list[Any]) -> list[int]:
        word = self._word()
        if word is None:
            values = [int.from_bytes(key, "big") for key in keys]
        else:
            words = array(word[1], keys)
            if sys.byteorder == "little":
                words.byteswap()  # the words were read in native order from big-endian bytes
            values = words.tolist()
        if values and max(values) >> self.num_bits:
            raise self._fail(f"a shot does not fit in num_bits={self.num_bits}")
        return values


def _rekey(counter: Counter[K], convert: Callable[[list[K]], list[V]]) -> dict[V, int]:
    """``counter`` with its keys converted, all in one call (which is what makes it cheap)."""
    return dict(zip(convert(list(counter)), counter.values(), strict=True))


def _mostly_distinct(shots: Sequence[Hashable]) -> bool:
    """How to count: whether the first ``_PROBE`` shots (there must be that many) are more
    than half distinct outcomes.

    Counting raw shots (hashed in C) and converting only the distinct outcomes is cheapest
    when outcomes repeat; when nearly every shot differs, it converts as many keys as there
    are shots after counting them, and converting every shot, then counting the bit strings,
    is cheaper. Both give the same counts: a wrong choice costs time only, so the choice is
    made here, on its own, where its thresholds can be tested."""
    probe = shots[:_PROBE]
    return len(probe) == _PROBE and 2 * len(set(probe)) > _PROBE


def _count(rows: Iterable[Iterable[K]]) -> Counter[K]:
    counter: Counter[K] = Counter()
    for row in rows:
        counter.update(row)
    return counter


def _count_all(rows: Iterable[list[str]]) -> dict[str, int]:
    # A plain dict, as on every other path and in qiskit: an outcome never measured is a
    # KeyError, not a count of 0.
    return dict(_count(rows))
