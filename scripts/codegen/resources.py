"""The resource namespaces: one class per tag, one method per operation, sync and async.

They are rendered from the same parsed document as the endpoint modules and call those
modules, so a new operation appears as a method on regeneration with no hand-written line.
A method's name is its function's name without the words of its tag (``get_job`` under
``jobs`` is ``jobs.get``); ``method_names`` in the overlay overrides that where it reads
badly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openapi_python_client import Project
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.responses import NONE_SOURCE

from .errors import GenerationError
from .version_shapes import VersionedAnswer, VersionShapes


@dataclass(frozen=True)
class Paging:
    """How a paged list operation pages, for its generated iterator method."""

    iter_name: str
    item_type: str
    shape: str
    """A ``PageShape(...)`` expression: where the page model keeps items, total and links."""
    cursor_argument: str
    """The operation's argument that takes the cursor: ``offset`` or ``next_``."""
    filters: tuple[Any, ...]
    """The operation's parameters other than paging ones, which the iterator passes on."""
    page_size: str
    """The iterator's ``page_size`` argument, with the operation's ``limit`` type and default."""
    item_imports: tuple[str, ...] = ()
    """Import lines for the item type (relative to the resources package)."""


@dataclass(frozen=True)
class Method:
    """One operation as a namespace method."""

    name: str
    module: str
    endpoint: Any
    success_type: str
    response_type: str
    success_codes: str
    """A Python expression for the 2xx statuses the operation declares: ``(200,)``."""
    paging: Paging | None = None
    versioned: VersionedAnswer | None = None
    """How the answer follows the IBM-API-Version, when it does (version_shapes.py)."""


@dataclass(frozen=True)
class Namespace:
    """The operations of one tag."""

    attribute: str
    class_name: str
    methods: tuple[Method, ...]
    imports: tuple[str, ...]


CALL_OPTIONS = frozenset({"timeout", "extra_headers"})
"""The keyword arguments every namespace method adds to its operation's own."""
VERSION_OPTION = "api_version"
"""The keyword argument a method whose answer follows the IBM-API-Version adds."""


def method_name(function: str, tag: str) -> str:
    """``function`` without the words that repeat its tag: ``list_jobs`` under jobs is ``list``."""
    tag_words = {tag, tag.removesuffix("s")}
    words = [w for w in function.split("_") if w not in tag_words]
    return "_".join(words) or function


def namespaces(
    data: GeneratorData, overrides: Mapping[str, str], shapes: VersionShapes | None = None
) -> list[Namespace]:
    """Every tag's namespace, with method names checked for collisions."""
    result = []
    for tag, collection in sorted(data.endpoint_collections_by_tag.items()):
        attribute = str(tag)
        methods: dict[str, Method] = {}
        imports: set[str] = set()
        for endpoint in collection.endpoints:
            module = str(endpoint.name)
            name = overrides.get(module) or method_name(module, attribute)
            if name in methods:
                raise GenerationError(
                    f"operations {methods[name].module} and {module} both become {attribute}.{name}; "
                    "name one of them in the overlay's method_names"
                )
            versioned = shapes.of(endpoint) if shapes is not None else None
            options = CALL_OPTIONS | ({VERSION_OPTION} if versioned else set())
            taken = {str(p.python_name) for p in endpoint.list_all_parameters()} & options
            if taken:
                raise GenerationError(
                    f"operation {module} has a parameter named {', '.join(sorted(taken))}, which every "
                    "namespace method also takes as a per-call option; rename it in the overlay"
                )
            response_type = str(endpoint.response_type().as_unembedded_code())
            paging = _paging(endpoint, name)
            if paging is not None and versioned is not None:
                raise GenerationError(
                    f"operation {module} pages and its answer follows the API version: "
                    "an iterator over version-dependent pages is not generated"
                )
            methods[name] = Method(
                name,
                module,
                endpoint,
                _success_type(endpoint),
                response_type,
                _success_codes(endpoint),
                paging,
                versioned,
            )
            if paging is not None and paging.iter_name in methods:
                raise GenerationError(
                    f"{attribute}.{paging.iter_name} would be both an operation and an iterator"
                )
            imports.update(str(line).replace("from ...", "from ..") for line in endpoint.relative_imports)
            if paging is not None:
                # The iterator's item type may be a class no operation of the tag names itself.
                imports.update(paging.item_imports)
        class_name = "".join(part.capitalize() for part in attribute.split("_"))
        result.append(Namespace(attribute, class_name, tuple(methods.values()), tuple(sorted(imports))))
    return result


def _successes(endpoint: Any) -> list[tuple[tuple[int, int], Any]]:
    """The operation's 2xx responses, each with its status range."""
    found = []
    for response in endpoint.responses:
        code = response.status_code.range
        if code is not None and 200 <= code[0] < 300:
            found.append((code, response))
    return found


def _success_type(endpoint: Any) -> str:
    types: list[str] = []
    for _, response in _successes(endpoint):
        text = (
            "None"
            if response.source == NONE_SOURCE
            else str(response.prop.get_type_string().as_unembedded_code())
        )
        if text not in types:
            types.append(text)
    return " | ".join(types) if types else "None"


# The rule for a paged list operation: a GET taking the page size ``limit`` and either an
# ``offset`` or ``next``/``previous`` cursors, answering a model with one list of items.
PAGE_SIZE = "limit"
OFFSET = "offset"
NEXT_CURSOR = "next_"
PAGING_PARAMETERS = frozenset({PAGE_SIZE, OFFSET, NEXT_CURSOR, "previous"})
TOTAL_FIELDS = ("count", "total_count", "total")


def _paging(endpoint: Any, name: str) -> Paging | None:
    """How ``endpoint`` pages, or None if it is not a paged list operation."""
    query = {str(p.python_name): p for p in endpoint.query_parameters}
    if str(endpoint.method).lower() != "get" or PAGE_SIZE not in query:
        return None
    cursor = OFFSET if OFFSET in query else NEXT_CURSOR if NEXT_CURSOR in query else None
    if cursor is None:
        return None
    page = next((r.prop for r in endpoint.responses if r.status_code.range == (200, 200)), None)
    fields = {str(p.python_name): p for p in _properties(page)}
    lists = [field for field, prop in fields.items() if hasattr(prop, "inner_property")]
    if len(lists) != 1:
        raise GenerationError(
            f"operation {endpoint.name} pages by its parameters, but its answer has {len(lists)} lists "
            "of items instead of one: no iterator can be generated for it"
        )
    items = lists[0]
    total = next((f for f in TOTAL_FIELDS if f in fields), None)
    shape = [f"items={items!r}"] + ([f"total={total!r}"] if total else [])
    if cursor == NEXT_CURSOR:
        if NEXT_CURSOR not in fields:
            raise GenerationError(
                f"operation {endpoint.name} takes a next cursor but its answer has no next link"
            )
        wire = query[NEXT_CURSOR].name
        wire = str(wire.get_untrusted_value() if hasattr(wire, "get_untrusted_value") else wire)
        if not wire.replace("_", "").isalnum():
            raise GenerationError(f"operation {endpoint.name}: cursor parameter {wire!r} is not a plain name")
        shape += [f"next_link={NEXT_CURSOR!r}", f"cursor_param={wire!r}"]
    inner = fields[items].inner_property
    item_type = str(inner.get_type_string().as_unembedded_code())
    info = getattr(inner, "class_info", None)  # a model or enum item: import its class
    item_imports = (f"from ..models.{info.module_name} import {info.name}",) if info is not None else ()
    filters = tuple(
        p
        for p in (*endpoint.query_parameters, *endpoint.header_parameters)
        if str(p.python_name) not in PAGING_PARAMETERS
    )
    iter_name = "iter" if name == "list" else "iter_" + name.removeprefix("list_")
    size = query[PAGE_SIZE].to_string()
    size = str(size.as_unembedded_code() if hasattr(size, "as_unembedded_code") else size)
    page_size = "page_size" + size.removeprefix(PAGE_SIZE)
    return Paging(
        iter_name, item_type, f"PageShape({', '.join(shape)})", cursor, filters, page_size, item_imports
    )


def _properties(model: Any) -> list[Any]:
    return [
        *(getattr(model, "required_properties", None) or ()),
        *(getattr(model, "optional_properties", None) or ()),
    ]


def _success_codes(endpoint: Any) -> str:
    """The declared 2xx statuses as a tuple literal (a ``2XX`` pattern as a ``range``)."""
    codes: list[str] = []
    for code, _ in _successes(endpoint):
        codes.append(str(code[0]) if code[0] == code[1] else f"*range({code[0]}, {code[1] + 1})")
    return "(" + ", ".join(codes) + ("," if len(codes) == 1 else "") + ")"


_BUILTIN_LIST = re.compile(r"(?<![\w.])list\[")


def render_resources(
    project: Project,
    data: GeneratorData,
    out_dir: Path,
    overrides: Mapping[str, str],
    shapes: VersionShapes | None = None,
) -> None:
    """Write ``resources/`` into the freshly generated package at ``out_dir``."""
    found = namespaces(data, overrides, shapes)
    folder = out_dir / "resources"
    folder.mkdir()
    encoding = project.config.file_encoding
    pagination = project.env.get_template("pagination.py.jinja")
    (out_dir / "pagination.py").write_text(pagination.render(), encoding=encoding)
    package = project.env.get_template("resources_init.py.jinja")
    (folder / "__init__.py").write_text(package.render(namespaces=found), encoding=encoding)
    module = project.env.get_template("resources_tag.py.jinja")
    for namespace in found:
        # A method named ``list`` shadows the builtin inside its class: annotations name it
        # through ``builtins``.
        text = _BUILTIN_LIST.sub("builtins.list[", module.render(namespace=namespace))
        (folder / f"{namespace.attribute}.py").write_text(text, encoding=encoding)
