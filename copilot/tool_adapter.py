"""Turning the `TOOLS` registry into LangChain tools bound to one ToolContext.

A model that reads tool schemas gets `to_langchain_tool` tools (description and
parameters from the function). The offline planner reads tool names only, so it
gets `deferred_langchain_tool` ones: the tool's module loads, and the arguments
are checked against the same schema, when the tool first runs (issue 10: a
question that needs one tool does not import the other nineteen). Those are not
LangChain tools: LangChain's tool classes are runnables, whose import loads its
tracers and langsmith's client (about half a second of CPU per start); the agent
loop needs only a tool's `name` and `invoke`, which a `DeferredTool` has.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, get_type_hints

from pydantic import BaseModel, ConfigDict, create_model

from copilot.messages import ToolMessage
from knowledge.presentation.numbers import format_count
from tools import TOOL_MODULES, load_tool
from tools.base import ToolContext, ToolError, ToolOutput

if TYPE_CHECKING:
    from langchain_core.tools import StructuredTool

# A tool call's arguments together hold at most this many characters (run_sql's
# SQL has its own, smaller limit); larger ones are refused before the tool runs.
MAX_ARGUMENT_CHARS = 50_000


@cache
def args_schema(func: Callable[..., ToolOutput]) -> type[BaseModel]:
    """A Pydantic model of the tool's parameters (all but the context)."""
    hints = get_type_hints(func, include_extras=True)
    fields: dict[str, Any] = {}
    for name, param in inspect.signature(func).parameters.items():
        if name == "ctx":
            continue
        default = ... if param.default is inspect.Parameter.empty else param.default
        fields[name] = (hints[name], default)
    return create_model(f"{func.__name__}_args", __config__=ConfigDict(extra="forbid"), **fields)


def check_argument_size(name: str, arguments: dict[str, Any]) -> None:
    """Refuse a call whose arguments are larger than MAX_ARGUMENT_CHARS in total."""
    size = sum(
        len(value) if isinstance(value, str) else len(repr(value)) for value in arguments.values()
    )
    if size > MAX_ARGUMENT_CHARS:
        raise ToolError.of(
            "Refused: the arguments to {name} hold {size} characters (limit "
            "{limit}); send shorter arguments.",
            name=name,
            size=format_count(size),
            limit=format_count(MAX_ARGUMENT_CHARS),
        )


def _run_tool(
    func: Callable[..., ToolOutput], ctx: ToolContext, arguments: dict[str, Any]
) -> tuple[str, ToolOutput]:
    """(for_model, ToolOutput) of one call; a ToolError becomes the result text."""
    started = time.perf_counter()
    try:
        check_argument_size(func.__name__, arguments)
        output = func(ctx, **arguments)
    except ToolError as exc:
        output = ToolOutput(for_model=f"Error: {exc}", data={"error": str(exc)})
        if exc.translations.get("zh"):  # the answer tells the error in its own language
            output.data["error_zh"] = exc.translations["zh"]
    output.data["duration_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return output.for_model, output


def to_langchain_tool(func: Callable[..., ToolOutput], ctx: ToolContext) -> StructuredTool:
    """A LangChain tool whose content is `for_model` and whose artifact is the ToolOutput.

    A ToolError becomes the tool's result text, so the model can correct its call;
    any other exception propagates and ends the question with a clear error.
    """

    from langchain_core.tools import StructuredTool  # a remote model's tools only

    def run(**kwargs: Any) -> tuple[str, ToolOutput]:
        return _run_tool(func, ctx, kwargs)

    return StructuredTool.from_function(
        func=run,
        name=func.__name__,
        description=inspect.getdoc(func) or func.__name__,
        args_schema=args_schema(func),
        response_format="content_and_artifact",
    )


@dataclass(frozen=True)
class DeferredTool:
    """A registry tool for a model that reads tool names only (see `deferred_langchain_tool`).

    `invoke` takes what a LangChain tool takes: a tool call (`{"name", "args", "id",
    "type": "tool_call"}`), answered with a ToolMessage whose content is `for_model`
    and whose artifact is the ToolOutput, as a `content_and_artifact` StructuredTool
    answers; or the arguments alone, answered with the content. Invalid arguments
    raise pydantic's ValidationError (the agent loop turns it into an error result).
    """

    name: str
    ctx: ToolContext

    @property
    def description(self) -> str:
        return self.name

    def invoke(self, tool_input: dict[str, Any], config: Any = None, **kwargs: Any) -> Any:
        is_call = tool_input.get("type") == "tool_call" and "args" in tool_input
        given = dict(tool_input["args"] if is_call else tool_input)
        func = load_tool(self.name)
        checked = args_schema(func).model_validate(given)
        # As StructuredTool passes them: only the arguments given, defaults left to the
        # function, values as the schema parsed them.
        arguments = {key: getattr(checked, key) for key in given}
        content, output = _run_tool(func, self.ctx, arguments)
        if not is_call:
            return content
        return ToolMessage(
            content=content,
            artifact=output,
            tool_call_id=tool_input["id"],
            name=self.name,
            status="success",
        )


def deferred_langchain_tool(name: str, ctx: ToolContext) -> DeferredTool:
    """Like `to_langchain_tool`, for a model that reads tool names only: the tool's
    module loads on the first call, whose arguments are then checked against the
    tool's schema (a pydantic ValidationError, as `to_langchain_tool` raises).

    Raises KeyError when `name` is no tool of the registry.
    """
    if name not in TOOL_MODULES:
        raise KeyError(f"no tool {name!r}; the tools are {', '.join(TOOL_MODULES)}")
    return DeferredTool(name, ctx)
