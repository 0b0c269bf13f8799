"""The fact-type catalogue: each type's roles and their kinds, as data.

Built-in types live in `checker/data/types.yaml`; a case adds its own in
`types.yaml`, same shape. A role's kind is `entity`, `entities`, `text`,
`number`, `date`, `boolean`, or a list of allowed literals. A `boolean` role
that a fact does not give is false (`communication`'s `bulk`: most mail
says nothing about being bulk mail, and is not).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RoleKind = Literal["entity", "entities", "text", "number", "date", "boolean"] | list[str]

#: Keys of a pattern or fact that are not roles.
TIME_SCOPES = ("as_of", "during", "before", "after")


class FactType(BaseModel):
    """One fact type: its id (`type`), roles, and the sentence proofs print."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    roles: dict[str, RoleKind]
    describe: str | None = None
    note: str | None = None

    def date_roles(self) -> list[str]:
        return [r for r, k in self.roles.items() if k == "date"]

    def time_roles(self) -> tuple[str, ...]:
        """The roles that give a fact of this type its time (spec: 'Time')."""
        dates = self.date_roles()
        if "date" in dates:
            return ("date",)
        if "from" in dates and "to" in dates:
            return ("from", "to")
        if len(dates) == 1:
            return (dates[0],)
        return ()

    def is_interval(self) -> bool:
        return self.time_roles() == ("from", "to")
