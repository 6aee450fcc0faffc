"""What YAML makes of a plain (unquoted) scalar, as PyYAML's safe loader types it: text, or a number,
boolean or null; shared by the two readers that build values themselves (yamldoc._EventReader,
yamllines.py), so that both type every scalar and key exactly as the full reading does."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import ScalarNode

PathKey = tuple[str | int, ...]

STR = "tag:yaml.org,2002:str"
# Scalars PyYAML's safe resolver types implicitly. Timestamps stay text: the model parses dates
# itself, with precision (2025, 2025-04, 2025-04-02) that YAML's timestamp type cannot express.
SCALAR_TYPES = frozenset(
    {"tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
)
# The first characters of the plain scalars YAML types implicitly (PyYAML's resolver looks its
# patterns up so too); with a pattern for any first character (None), every scalar is looked at.
TYPED_FIRST = frozenset(yaml.SafeLoader.yaml_implicit_resolvers)
ANY_FIRST = None in TYPED_FIRST
_TEXT_TAGS = frozenset({STR, "tag:yaml.org,2002:timestamp"})  # timestamps stay text: see SCALAR_TYPES
_KEY_TAGS = frozenset({STR, "tag:yaml.org,2002:int"})  # what a plain key may be read as: text, or a whole number


class NotPlain(Exception):
    """A reader met what only the full reading handles (yamldoc.parse_yaml): it reads the text then."""


class PlainScalars:
    """Types plain scalars, and keeps the text of those typed as something other than text
    (`typed_text`, as YamlDocument keeps it)."""

    def __init__(self) -> None:
        self.typed_text: dict[PathKey, str] = {}
        self._loader = yaml.SafeLoader("")  # its resolver and constructor type plain scalars
        self._tags: dict[str, str] = {}  # the resolver's tag of each plain scalar that might be typed
        self.keys: set[str] = set()  # plain keys found to be text or numbers: each looked up once, not 10,000 times

    def value(self, text: str, path: PathKey) -> Any:
        """The value of the plain scalar `text` at `path`; NotPlain for one the full reading refuses."""
        if text and text[0] not in TYPED_FIRST and not ANY_FIRST:
            return text
        tag = self.tag(text)
        if tag in _TEXT_TAGS:
            return text
        if tag not in SCALAR_TYPES:
            raise NotPlain  # `=`: the value tag, refused by the full reading
        try:
            typed = self._loader.construct_object(ScalarNode(tag, text))
        except ValueError:
            raise NotPlain from None  # too many digits for Python: reported by the full reading
        self.typed_text[path] = text
        return typed

    def check_key(self, key: str) -> None:
        """NotPlain for a plain key that is not text or a whole number (`true:`, `~:`, `<<:` …)."""
        if key not in self.keys:
            if self.tag(key) not in _KEY_TAGS:
                raise NotPlain
            self.keys.add(key)

    def tag(self, text: str) -> str:
        """The tag YAML's resolver gives the plain scalar `text`."""
        if text and text[0] not in TYPED_FIRST and not ANY_FIRST:
            return STR  # no implicit type starts with this character
        tag = self._tags.get(text)  # keys and dates are written many times: each resolved once
        if tag is None:
            tag = self._tags[text] = str(self._loader.resolve(ScalarNode, text, (True, False)))  # type: ignore[no-untyped-call]
        return tag
