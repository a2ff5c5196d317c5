// The stage route through a lot's joints: an open path from the stage's start point that visits
// every joint once, built by nearest neighbour and improved by 2-opt.
//
// Length L = Σ |pᵢ₊₁ − pᵢ| (Euclidean, from the start point). With a move time of
// t_settle + d/v per move and one move per joint, minimising L minimises travel time.
//
// 2-opt on an open path: reversing the stretch i..k replaces edges (a, pᵢ) and (pₖ, b) by
// (a, pₖ) and (pᵢ, b), where a is the point before i (the start for i = 0) and b the point after
// k (none at the end of the path, whose edge then simply disappears). A reversal is kept only
// when it shortens the path, so the result is never longer than the tour it started from.
//
// References: G. A. Croes, "A method for solving traveling-salesman problems", Oper. Res. 6
// (1958) 791; D. S. Johnson, L. A. McGeoch, "The traveling salesman problem: a case study in
// local optimization" (1997).
#pragma once

#include <span>
#include <vector>

namespace psw::scheduling {

struct Point {
  double x = 0.0;
  double y = 0.0;
};

/// Length of the open path start → points[tour[0]] → points[tour[1]] → …
double path_length(std::span<const Point> points, std::span<const int> tour, Point start);

/// Greedy tour: from `start`, always go to the nearest unvisited point (ties: lowest index).
std::vector<int> nearest_neighbour_tour(std::span<const Point> points, Point start);

/// Improves `tour` in place by 2-opt moves until none shortens it or `max_passes` full passes
/// were made. Returns the number of reversals applied.
int two_opt(std::span<const Point> points, std::vector<int>& tour, Point start,
            int max_passes = 50);

/// nearest_neighbour_tour followed by two_opt.
std::vector<int> plan_route(std::span<const Point> points, Point start);

}  // namespace psw::scheduling
