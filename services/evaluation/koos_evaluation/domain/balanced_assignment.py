"""Balanced assignment by min-cost flow: give applicants their places with people, fitting preferences, loads even.

The network: source → applicant (capacity = places wanted) → allowed person (capacity 1 per pair) → sink, where
a person's l-th assignment costs 2l − 1, so their total is the square of their load. `solve_max_flow_with_min_cost`
first fills as many places as can be filled, then minimises the cost. A pair's preference (higher is better) costs
(best preference − its preference) × M, with M larger than any possible load cost, so preferences come first and
balance decides among equally preferred assignments. With equal preferences the sum of squared loads is minimised;
the reachable load vectors form an integral polymatroid's bases, where that minimiser is the "decreasingly minimal"
one — the largest load as small and the smallest as large as possible at once (Frank & Murota, discrete decreasing
minimisation). The constraint matrix is totally unimodular: the answer is whole and exact, in milliseconds.
"""

from collections.abc import Mapping, Sequence

from ortools.graph.python import min_cost_flow

from koos_evaluation.domain.errors import EvaluationRefused


def assign_balanced(places: Mapping[str, int], capacity: Mapping[str, int],
                    allowed: Sequence[tuple[str, str, int]]) -> tuple[tuple[str, str], ...]:
    """(applicant, person) pairs; `allowed` holds (applicant, person, preference) triples, in the order wanted."""
    flow = min_cost_flow.SimpleMinCostFlow()
    keys = [("applicant", a) for a in places] + [("person", p) for p in capacity]
    node = {key: n for n, key in enumerate(keys, start=1)}
    source, sink = 0, len(node) + 1
    loads = sum(c * c for c in capacity.values()) + 1
    best = max((preference for *_, preference in allowed), default=0)
    for applicant, wanted in places.items():
        flow.add_arc_with_capacity_and_unit_cost(source, node["applicant", applicant], wanted, 0)
    arcs = [(flow.add_arc_with_capacity_and_unit_cost(node["applicant", a], node["person", p], 1,
                                                      (best - preference) * loads), a, p)
            for a, p, preference in allowed]
    for person, most in capacity.items():
        for load in range(1, most + 1):
            flow.add_arc_with_capacity_and_unit_cost(node["person", person], sink, 1, 2 * load - 1)
    total = sum(places.values())
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        raise EvaluationRefused("the assignment could not be solved")
    return tuple((a, p) for arc, a, p in arcs if flow.flow(arc))
