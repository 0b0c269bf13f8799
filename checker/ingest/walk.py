"""Walk `evidence/` for files to read, following a symbolic link only inside the case.

Every entry under evidence/ comes back as a `Found`: a file to read, or an
entry that is not read with the status and reason the manifest shows. A
symbolic link (to a file or a folder) is resolved first:

- a target outside the case folder is never read: skipped, whatever it is
  (a case from elsewhere may hold `evidence/x.txt -> /etc/passwd`);
- a target inside evidence/ is skipped as a duplicate: it is read under its
  own path, once (a folder reached twice would be read twice, or forever);
- a target elsewhere in the case (say `evidence/mail -> ../raw/mail`) is read
  as if it were there, a folder once however many links lead to it;
- a broken link, a loop of links, and a link to a folder that holds
  evidence/ are skipped with the reason.

evidence/ itself may be a link (a corpus read where it lies): the folder it
leads to counts as inside the case. Named pipes, sockets and devices are
skipped unopened (reading a pipe would wait forever); a folder that cannot
be listed is failed. Paths come back in path order, as `PurePosixPath` sorts.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

OUTSIDE = (
    "symbolic link to a path outside the case folder: not read (copy the file into "
    "evidence/ if it belongs to the case)"
)


@dataclass(frozen=True)
class Found:
    """One entry under evidence/: `status` empty for a file to read, else 'skipped'
    or 'failed' with the `reason`."""

    path: Path
    rel: str  # from the case root, through links as found: evidence/mail/1.eml
    status: str = ""
    reason: str = ""


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _special(mode: int) -> str | None:
    """Why a file of this mode is not opened, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = (
        "a named pipe"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    return f"{kind}, not a file: not read"


class _Walk:
    def __init__(self, root: Path):
        self.root = root
        self.case = os.path.realpath(root)
        self.top = os.path.realpath(root / "evidence")
        self.walked: dict[str, str] = {}  # every real folder walked -> its path from the root

    def shown(self, real: str) -> str:
        """A real path inside evidence/ as a path from the case root."""
        rest = os.path.relpath(real, self.top)
        return "evidence" if rest == "." else "evidence/" + Path(rest).as_posix()

    def again(self, real: str, here: str) -> str | None:
        """Why the folder `real`, met while walking the folder `here`, is not walked
        again, or None."""
        if real not in self.walked:
            return None
        if _within(here, real):
            return "leads back to a folder that holds it (a loop): not followed"
        return f"is the folder read as {self.walked[real]}: not read again"

    def link(self, path: Path, rel: str, here: str) -> tuple[Found | None, str]:
        """A link's fate: a Found saying why it is not followed, or None and its real
        target, to read or walk."""
        try:
            real = os.path.realpath(path, strict=True)
            mode = os.stat(real).st_mode
        except FileNotFoundError:
            why = f"broken symbolic link: its target {os.readlink(path)!r} does not exist"
            return Found(path, rel, "skipped", why), ""
        except OSError as err:
            why = "a loop of symbolic links" if err.errno == errno.ELOOP else str(err)
            return Found(path, rel, "skipped", f"cannot follow the link ({why}): not read"), ""
        if not (_within(real, self.case) or _within(real, self.top)):
            return Found(path, rel, "skipped", OUTSIDE), ""
        if stat.S_ISDIR(mode) and _within(self.top, real):
            why = "symbolic link to a folder that holds evidence/ (a loop): not followed"
            return Found(path, rel, "skipped", why), ""
        if _within(real, self.top):
            why = f"symbolic link to {self.shown(real)}, which is read under its own path"
            return Found(path, rel, "skipped", why), ""
        again = self.again(real, here) if stat.S_ISDIR(mode) else None
        if again:
            return Found(path, rel, "skipped", f"symbolic link that {again}"), ""
        return None, real

    def entries(self) -> Iterator[Found]:
        """Every entry, depth first in name order (which link to a folder is followed,
        when several lead to it, does not depend on the file system)."""
        self.walked[self.top] = "evidence"
        stack = [(self.top, "evidence", self.listing(self.top, "evidence"))]
        while stack:
            here, rel_here, listing = stack[-1]
            entry = next(listing, None)
            if entry is None:
                stack.pop()
                continue
            if isinstance(entry, Found):  # the folder could not be listed
                yield entry
                continue
            rel = f"{rel_here}/{entry.name}"
            path = self.root / rel  # as the case names it, through any link followed
            try:
                if entry.is_symlink():
                    refused, real = self.link(path, rel, here)
                    if refused is not None:
                        yield refused
                        continue
                    mode = os.stat(real).st_mode
                else:
                    real = os.path.join(here, entry.name)
                    mode = entry.stat(follow_symlinks=False).st_mode
                    again = self.again(real, here) if stat.S_ISDIR(mode) else None
                    if again:
                        yield Found(path, rel, "skipped", f"a folder that {again}")
                        continue
            except OSError as err:
                yield Found(path, rel, "failed", f"cannot read: {err.strerror or err}")
                continue
            if stat.S_ISDIR(mode):
                self.walked[real] = rel
                stack.append((real, rel, self.listing(real, rel)))
                continue
            special = _special(mode)
            yield Found(path, rel, "skipped", special) if special else Found(path, rel)

    def listing(self, folder: str, rel: str) -> Iterator[os.DirEntry[str] | Found]:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as err:
            why = f"cannot list the folder: {err.strerror}"
            yield Found(self.root / rel, rel, "failed", why)
            return
        yield from entries


def walk_evidence(root: Path) -> list[Found]:
    """Every entry under `root/evidence` (any depth), in path order; none when the case
    has no evidence folder."""
    if not (root / "evidence").is_dir():
        return []
    found = list(_Walk(root).entries())
    return sorted(found, key=lambda f: PurePosixPath(f.rel))
