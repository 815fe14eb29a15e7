"""requirement-cycle: programs and courses that require each other, so nobody can finish them.

A program or course can require others: its ``prerequisites`` (``programs:``
and ``courses:``, to complete before starting it) and, for a program, the
courses its ``completion`` rules require. When these requirements go round in
a circle (a program that lists itself as a prerequisite, two programs that
are each other's prerequisite, or a program whose completion needs a course
that has the program as its prerequisite) nobody can ever meet them.

Programs and courses caught in circles together are reported once, as an
error at the requirement of the first of them (by kind, then id) that starts
the shortest circle, with that circle spelled out; remove one of its
requirements. Requirements of
programs or courses that do not exist are reported by ``references``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from trainkit.diagnostics import Diagnostic
from trainkit.model import Academy, Loc
from trainkit.rules._util import err

CODES = {"requirement-cycle": "error"}

Node = tuple[str, str]  # ("course" | "program", id)
# What requires what: node -> {required node: where the requirement is written}
Graph = dict[Node, dict[Node, Loc]]


def check(academy: Academy) -> Iterator[Diagnostic]:
    graph = _graph(academy)
    for group in _strong_components(graph):
        start = min(group)
        cycle = _cycle_through(graph, start, set(group))
        if cycle:
            yield err(graph[start][cycle[1]], "requirement-cycle", _message(cycle))


def _graph(a: Academy) -> Graph:
    graph: Graph = {}
    for p in a.programs.values():
        edges = graph.setdefault(("program", p.id), {})
        rules = p.completion
        for course in (*rules.courses, *(c for g in rules.groups for c in g.courses)):
            if course in a.courses:
                edges.setdefault(("course", course), rules.loc)
    owners = [(("program", p.id), p.prerequisites) for p in a.programs.values()]
    owners += [(("course", c.id), c.prerequisites) for c in a.courses.values()]
    for node, pre in owners:
        edges = graph.setdefault(node, {})
        for kind, ids, known in (("program", pre.programs, a.programs),
                                 ("course", pre.courses, a.courses)):
            for ident in ids:
                if ident in known:
                    edges[(kind, ident)] = pre.loc
    return graph


def _strong_components(graph: Graph) -> list[list[Node]]:
    """Groups of nodes that reach each other (Kosaraju), without recursion.

    Only groups that hold a cycle: two or more nodes, or one that requires itself.
    """
    order: list[Node] = []
    seen: set[Node] = set()
    for root in sorted(graph):
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(sorted(graph[root])))]
        while stack:
            node, children = stack[-1]
            child = next((c for c in children if c not in seen), None)
            if child is None:
                order.append(node)
                stack.pop()
            else:
                seen.add(child)
                stack.append((child, iter(sorted(graph.get(child, {})))))
    reverse: dict[Node, list[Node]] = {}
    for node, edges in graph.items():
        for target in edges:
            reverse.setdefault(target, []).append(node)
    groups, placed = [], set()
    for root in reversed(order):
        if root in placed:
            continue
        group, todo = [], [root]
        placed.add(root)
        while todo:
            node = todo.pop()
            group.append(node)
            for prev in reverse.get(node, ()):
                if prev not in placed:
                    placed.add(prev)
                    todo.append(prev)
        if len(group) > 1 or root in graph.get(root, {}):
            groups.append(sorted(group))
    return sorted(groups)


def _cycle_through(graph: Graph, start: Node, group: set[Node]) -> list[Node]:
    """The shortest circle ``start -> ... -> start`` inside ``group`` (breadth first)."""
    back: dict[Node, Node] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in sorted(graph.get(node, {})):
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(back[path[-1]])
                return [start, *reversed(path[:-1]), start] if node != start else [start, start]
            if target in group and target not in back:
                back[target] = node
                queue.append(target)
    return []


def _message(cycle: list[Node]) -> str:
    def name(node: Node) -> str:
        return f"{node[0]} {node[1]!r}"

    if len(cycle) == 2:
        return (f"{name(cycle[0])} requires itself; remove {cycle[0][1]!r} from its own "
                "prerequisites")
    chain = f"{name(cycle[0])} requires " + ", which requires ".join(map(name, cycle[1:]))
    return (f"{chain}: these requirements go round in a circle, so nobody can ever meet "
            "them; remove one of them")
