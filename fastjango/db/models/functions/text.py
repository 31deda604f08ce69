"""Text functions: ``Concat``, ``Lower``, ``Upper``, ``Length``, ``Substr``, ``Replace``, ..."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from fastjango.db.models.expressions import Func, Value
from fastjango.db.models.fields import CharField, IntegerField, TextField
from fastjango.db.models.lookups import Transform

if TYPE_CHECKING:
    from fastjango.db.models.sql.compiler import SQLCompiler

__all__ = [
    "MD5",
    "SHA1",
    "SHA224",
    "SHA256",
    "SHA384",
    "SHA512",
    "Chr",
    "Concat",
    "ConcatPair",
    "LPad",
    "LTrim",
    "Left",
    "Length",
    "Lower",
    "Ord",
    "RPad",
    "RTrim",
    "Repeat",
    "Replace",
    "Reverse",
    "Right",
    "StrIndex",
    "Substr",
    "Trim",
    "Upper",
]


class Chr(Transform):
    """The character with the given code point."""

    function = "CHR"
    lookup_name = "chr"
    output_field = CharField()

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        from fastjango.db.models.sql import vendor

        arg = compiler.sa(self.source_expressions[0])
        if compiler.vendor == "mysql":
            return vendor.template(["CHAR(", " USING utf16)"], [arg], self.sa_type())
        if compiler.vendor == "sqlite":
            return sa.func.char(arg, type_=self.sa_type())
        return sa.func.chr(arg, type_=self.sa_type())


class ConcatPair(Func):
    """Two expressions concatenated; NULL counts as an empty string (as in Django)."""

    function = "CONCAT"

    def _resolve_output_field(self) -> Any:
        fields = [f for f in self.get_source_fields() if f is not None]
        if any(isinstance(f, TextField) for f in fields):
            return TextField()
        return CharField()

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        parts: list[Any] = [
            sa.func.coalesce(compiler.sa(arg), sa.literal("")) for arg in self.source_expressions
        ]
        if compiler.vendor == "postgresql":
            parts = [sa.cast(part, sa.Text()) for part in parts]
        return sa.type_coerce(parts[0].concat(parts[1]), self.sa_type())


class Concat(Func):
    """Expressions concatenated (at least two); NULLs count as empty strings."""

    function = "CONCAT"

    def __init__(self, *expressions: Any, **extra: Any) -> None:
        if len(expressions) < 2:
            raise ValueError("Concat must take at least two expressions")
        paired = self._paired(expressions, output_field=extra.get("output_field"))
        super().__init__(paired, **extra)

    def _paired(self, expressions: tuple[Any, ...], output_field: Any = None) -> Any:
        if len(expressions) == 2:
            return ConcatPair(*expressions, output_field=output_field)
        return ConcatPair(
            expressions[0], self._paired(expressions[1:], output_field), output_field=output_field
        )

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        return sa.type_coerce(compiler.sa(self.source_expressions[0]), self.sa_type())


class Left(Func):
    """The first ``length`` characters."""

    function = "LEFT"
    arity = 2
    output_field = CharField()

    def __init__(self, expression: Any, length: Any, **extra: Any) -> None:
        if not hasattr(length, "resolve_expression") and length < 1:
            raise ValueError("'length' must be greater than 0.")
        super().__init__(expression, length, **extra)

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        text, length = (compiler.sa(a) for a in self.source_expressions)
        if compiler.vendor == "sqlite":
            return sa.func.substr(text, 1, length, type_=self.sa_type())
        return sa.func.left(text, length, type_=self.sa_type())


class Length(Transform):
    """The number of characters."""

    function = "LENGTH"
    vendor_functions = {"mysql": "CHAR_LENGTH"}
    lookup_name = "length"
    output_field = IntegerField()


class Lower(Transform):
    """Lower case."""

    function = "LOWER"
    lookup_name = "lower"


class Upper(Transform):
    """Upper case."""

    function = "UPPER"
    lookup_name = "upper"


class LPad(Func):
    """Pad on the left with ``fill_text`` to ``length`` characters."""

    function = "LPAD"
    output_field = CharField()

    def __init__(self, expression: Any, length: Any, fill_text: Any = None, **extra: Any) -> None:
        if not hasattr(length, "resolve_expression") and length is not None and length < 0:
            raise ValueError("'length' must be greater or equal to 0.")
        fill_text = Value(" ") if fill_text is None else fill_text
        super().__init__(expression, length, fill_text, **extra)


class RPad(LPad):
    """Pad on the right with ``fill_text`` to ``length`` characters."""

    function = "RPAD"


class LTrim(Transform):
    """Leading spaces removed."""

    function = "LTRIM"
    lookup_name = "ltrim"


class RTrim(Transform):
    """Trailing spaces removed."""

    function = "RTRIM"
    lookup_name = "rtrim"


class Trim(Transform):
    """Leading and trailing spaces removed."""

    function = "TRIM"
    lookup_name = "trim"


class _HashMixin(Transform):
    algorithm = ""

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        arg = compiler.sa(self.source_expressions[0])
        name = self.algorithm
        if compiler.vendor == "postgresql":
            if name == "md5":
                return sa.func.md5(arg, type_=self.sa_type())
            if name == "sha1":
                digest = sa.func.digest(sa.cast(arg, sa.Text()), "sha1")
            else:
                digest = getattr(sa.func, name)(sa.func.convert_to(arg, "UTF8"))
            return sa.func.encode(digest, "hex", type_=self.sa_type())
        if compiler.vendor == "mysql":
            if name in ("md5", "sha1"):
                return getattr(sa.func, name)(arg, type_=self.sa_type())
            return sa.func.sha2(arg, int(name[3:]), type_=self.sa_type())
        return getattr(sa.func, name)(arg, type_=self.sa_type())


class MD5(_HashMixin):
    """The MD5 hash (hex)."""

    lookup_name = "md5"
    algorithm = "md5"


class SHA1(_HashMixin):
    """The SHA-1 hash (hex; PostgreSQL needs the pgcrypto extension)."""

    lookup_name = "sha1"
    algorithm = "sha1"


class SHA224(_HashMixin):
    """The SHA-224 hash (hex)."""

    lookup_name = "sha224"
    algorithm = "sha224"


class SHA256(_HashMixin):
    """The SHA-256 hash (hex)."""

    lookup_name = "sha256"
    algorithm = "sha256"


class SHA384(_HashMixin):
    """The SHA-384 hash (hex)."""

    lookup_name = "sha384"
    algorithm = "sha384"


class SHA512(_HashMixin):
    """The SHA-512 hash (hex)."""

    lookup_name = "sha512"
    algorithm = "sha512"


class Ord(Transform):
    """The code point of the first character."""

    function = "ASCII"
    vendor_functions = {"mysql": "ORD", "sqlite": "UNICODE"}
    lookup_name = "ord"
    output_field = IntegerField()


class Repeat(Func):
    """The text repeated ``number`` times."""

    function = "REPEAT"
    output_field = CharField()

    def __init__(self, expression: Any, number: Any, **extra: Any) -> None:
        if not hasattr(number, "resolve_expression") and number is not None and number < 0:
            raise ValueError("'number' must be greater or equal to 0.")
        super().__init__(expression, number, **extra)


class Replace(Func):
    """Every ``text`` replaced by ``replacement``."""

    function = "REPLACE"

    def __init__(self, expression: Any, text: Any, replacement: Any = None, **extra: Any) -> None:
        replacement = Value("") if replacement is None else replacement
        super().__init__(expression, text, replacement, **extra)


class Reverse(Transform):
    """The characters in reverse order."""

    function = "REVERSE"
    lookup_name = "reverse"


class Right(Left):
    """The last ``length`` characters."""

    function = "RIGHT"

    def as_sqlalchemy(self, compiler: SQLCompiler) -> Any:
        text, length = (compiler.sa(a) for a in self.source_expressions)
        if compiler.vendor == "sqlite":
            return sa.func.substr(text, -length, type_=self.sa_type())
        return sa.func.right(text, length, type_=self.sa_type())


class StrIndex(Func):
    """The 1-based position of ``substring`` in the text (0 when absent)."""

    function = "INSTR"
    vendor_functions = {"postgresql": "STRPOS"}
    arity = 2
    output_field = IntegerField()


class Substr(Func):
    """``length`` characters from the 1-based ``pos`` (to the end without length)."""

    function = "SUBSTRING"
    vendor_functions = {"sqlite": "SUBSTR"}
    output_field = CharField()

    def __init__(self, expression: Any, pos: Any, length: Any = None, **extra: Any) -> None:
        if not hasattr(pos, "resolve_expression") and pos < 1:
            raise ValueError("'pos' must be greater than 0")
        expressions = [expression, pos]
        if length is not None:
            expressions.append(length)
        super().__init__(*expressions, **extra)
