// The weld cell as the scheduler sees it, and the joints of a repair lot.
//
// One stage carries the wafer under one deposition head and one sintering laser. A joint's
// cycle is
//
//   move (stage) → deposit (head) → sinter (laser) → verify
//
//   move        t_move = t_settle + d / v_stage      (d: straight-line distance; 0 when d = 0)
//   deposit     t_dep  = t_dep,0 + V / Q_dep           (V: deposited volume, Q_dep: volume rate)
//   sinter      W / r   (W: sintering work, the time at nominal laser power; r = 1 nominal,
//                        r = boost_speedup when the laser runs at its escalated power)
//   verify      t_verify
//
// Sintering can be suspended: the joint keeps its progress (work done so far), and resuming it
// costs a move back to the joint plus a re-heat overhead t_reheat of laser time. Nothing else
// about a parked joint changes (no cooling penalty beyond t_reheat, no progress loss).
//
// Sintering positions (`sintering_positions`, 1 or 2):
//
//  1  one joint is worked on at a time: the stage holds the joint under the laser while it
//     sinters and is verified, then moves on. Joint i costs h_i + l_i in series, with
//       h_i = t_move,i + t_dep,i   (stage and head; a resumed joint: t_move,i only)
//       l_i = t_reheat,i + W_i/r + t_verify   (laser position; t_reheat,i only on a resume)
//     and a lot of n joints takes M₁ = Σᵢ (h_i + l_i).
//  2  two resources: the stage with the head (h_i) and the laser position (l_i). The laser can
//     be steered to a second position beside the head, so it sinters and verifies joint i
//     there while the stage moves to joint i+1 and the head deposits it. Each position holds
//     one joint and there is no other buffer: a deposited joint passes to the laser position
//     only when the previous one has left it (finished, parked or aborted), and the head takes
//     up the next joint only after that hand-over (a blocking two-machine flow shop). With
//     D_i the hand-over of joint i and C_i the time its laser position empties,
//       D_i = max(D_{i−1} + h_i, C_{i−1}),   C_i = D_i + l_i,   D_0 = C_0 = 0,
//     so D_i = D_{i−1} + max(h_i, l_{i−1}) and, when no joint is parked,
//       M₂ = h_1 + Σ_{i=2..n} max(h_i, l_{i−1}) + l_n  ≤  M₁.
//     Verification happens at the laser position (the laser is idle during it). A parked joint
//     leaves the laser position at once; its resume is a new pass through both positions.
//
// Assumptions: a single stage-move figure (settle + constant speed) stands in for the stage
// model's trajectory; its settle figure may come from the stage model (`cell.stage` in a
// scenario); deposition is deterministic given the volume; the boosted laser power
// (escalation) shortens sintering by a constant factor; in the two-position cell the laser
// follows the joint while the stage moves, at no cost.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace psw::scheduling {

struct CellModel {
  double stage_speed_m_per_s = 0.02;          ///< (0, 1] m/s
  double stage_settle_s = 0.2;                ///< [0, 60] s per move
  double deposition_overhead_s = 5.0;         ///< [0, 3600] s per joint (HV ramp, cone-jet settle)
  double deposition_rate_m3_per_s = 1.5e-18;  ///< (0, ∞) deposited metal volume per second
  double verify_s = 3.0;                      ///< [0, 3600] s per joint
  double reheat_s = 4.0;                      ///< [0, 3600] s of laser time per resume
  double boost_speedup = 1.25;                ///< [1, 10]: sintering rate at escalated power
  int sintering_positions = 1;                ///< 1 or 2 (see above)

  /// Stage travel time between two points (m).
  double move_s(double x0, double y0, double x1, double y1) const {
    const double d = std::hypot(x1 - x0, y1 - y0);
    return d > 0.0 ? stage_settle_s + d / stage_speed_m_per_s : 0.0;
  }
  double deposition_s(double volume_m3) const {
    return deposition_overhead_s + volume_m3 / deposition_rate_m3_per_s;
  }
  /// @throws std::invalid_argument naming the first field outside its range.
  void validate() const;
};

/// One joint of a lot. `sinter_work_s` is the truth the simulator plays out (the time at nominal
/// laser power); policies never see it, only the predictor's distribution.
struct Joint {
  double x_m = 0.0;
  double y_m = 0.0;
  double volume_m3 = 0.0;    ///< deposited volume, > 0
  int priority = 0;          ///< higher first where a policy honours priorities
  double sinter_work_s = 0;  ///< ≥ 0
};

/// A repair lot: the joints in the order they were listed (the order FIFO policies follow).
struct Lot {
  std::vector<Joint> joints;
};

}  // namespace psw::scheduling
