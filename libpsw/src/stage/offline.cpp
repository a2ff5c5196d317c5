#include <psw/stage/offline.hpp>

#include <psw/core/error.hpp>

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <cmath>
#include <cstdlib>
#include <memory>

namespace psw::stage {
namespace {

struct Problem {
  const ContinuousSystem* system;
  const std::function<double(double)>* u;
  double held_u = 0.0;
  bool holding = false;
};

// ẋ = A·x + B·u.
int rhs(sunrealtype t, N_Vector x, N_Vector xdot, void* data) {
  const auto* p = static_cast<Problem*>(data);
  const auto n = p->system->order();
  const Eigen::Map<const Eigen::VectorXd> xv(N_VGetArrayPointer(x), n);
  Eigen::Map<Eigen::VectorXd> dv(N_VGetArrayPointer(xdot), n);
  const double u = p->holding ? p->held_u : (*p->u)(t);
  dv.noalias() = p->system->A * xv;
  dv += p->system->B * u;
  return 0;
}

// J = A, constant (dense, column-major like Eigen's default).
int jacobian(sunrealtype, N_Vector, N_Vector, SUNMatrix J, void* data, N_Vector, N_Vector,
             N_Vector) {
  const auto* p = static_cast<Problem*>(data);
  const auto n = p->system->order();
  Eigen::Map<Eigen::MatrixXd>(SUNDenseMatrix_Data(J), n, n) = p->system->A;
  return 0;
}

// CVODE's messages go into the result, not to stderr.
void keep_message(int, const char* module, const char* function, char* message, void* data) {
  auto* text = static_cast<std::string*>(data);
  *text = std::string(module) + "." + function + ": " + message;
}

// Owners for the SUNDIALS handles, released in reverse order of creation.
struct Handles {
  SUNContext ctx = nullptr;
  N_Vector x = nullptr;
  SUNMatrix J = nullptr;
  SUNLinearSolver ls = nullptr;
  void* cvode = nullptr;
  ~Handles() {
    if (cvode) CVodeFree(&cvode);
    if (ls) SUNLinSolFree(ls);
    if (J) SUNMatDestroy(J);
    if (x) N_VDestroy(x);
    if (ctx) SUNContext_Free(&ctx);
  }
};

}  // namespace

AdaptiveResult simulate_adaptive(const ContinuousSystem& system,
                                 const std::function<double(double)>& u,
                                 const std::vector<double>& times_s,
                                 const AdaptiveOptions& options) {
  require_in_range("simulate_adaptive rtol", options.rtol, Range::closed(1e-12, 1e-2));
  require_in_range("simulate_adaptive atol", options.atol, Range::open_closed(0.0, 1.0));
  require_in_range("simulate_adaptive max_steps", static_cast<double>(options.max_steps),
                   Range::closed(1, 1e9));
  require_in_range("simulate_adaptive hold_period_s", options.hold_period_s,
                   Range::closed(0.0, 1e6));
  for (std::size_t i = 0; i < times_s.size(); ++i) {
    require_in_range("simulate_adaptive times_s[" + std::to_string(i) + "]", times_s[i],
                     Range::closed(i ? times_s[i - 1] : 0.0, 1e9));
  }
  const auto n = system.order();
  require(n > 0 && system.B.size() == n && system.C.size() == n,
          "simulate_adaptive: A, B and C sizes disagree");

  // CVODE, BDF, dense direct solver with the exact Jacobian A.
  Problem problem{&system, &u};
  Handles h;
  AdaptiveResult result;
  std::string cvode_message;
  const auto fail = [&](const char* what, int flag) {
    result.status = AdaptiveStatus::failed;
    char* name = CVodeGetReturnFlagName(flag);  // malloc'ed by SUNDIALS: ours to free
    result.message = std::string(what) + " failed: " + (name ? name : std::to_string(flag));
    std::free(name);
    if (!cvode_message.empty()) result.message += " (" + cvode_message + ")";
    return result;
  };
  if (SUNContext_Create(nullptr, &h.ctx) != 0) return fail("SUNContext_Create", -1);
  h.x = N_VNew_Serial(static_cast<sunindextype>(n), h.ctx);
  N_VConst(0.0, h.x);
  h.J = SUNDenseMatrix(static_cast<sunindextype>(n), static_cast<sunindextype>(n), h.ctx);
  h.ls = SUNLinSol_Dense(h.x, h.J, h.ctx);
  h.cvode = CVodeCreate(CV_BDF, h.ctx);
  int flag = CVodeSetErrHandlerFn(h.cvode, keep_message, &cvode_message);
  if (flag == CV_SUCCESS) flag = CVodeInit(h.cvode, rhs, 0.0, h.x);
  if (flag == CV_SUCCESS) flag = CVodeSStolerances(h.cvode, options.rtol, options.atol);
  if (flag == CV_SUCCESS) flag = CVodeSetUserData(h.cvode, &problem);
  if (flag == CV_SUCCESS) flag = CVodeSetLinearSolver(h.cvode, h.ls, h.J);
  if (flag == CV_SUCCESS) flag = CVodeSetJacFn(h.cvode, jacobian);
  if (flag == CV_SUCCESS) flag = CVodeSetMaxNumSteps(h.cvode, options.max_steps);
  // Lightly damped modes sit near the imaginary axis, where BDF orders 3–5 are unstable:
  // let CVODE detect that and drop the order (Hindmarsh et al. 2005, §2.1).
  if (flag == CV_SUCCESS) flag = CVodeSetStabLimDet(h.cvode, SUNTRUE);
  if (flag != CV_SUCCESS) return fail("CVODE setup", flag);

  const double* x = N_VGetArrayPointer(h.x);
  const auto output = [&](double t) {
    const double input = problem.holding ? problem.held_u : u(t);
    return (system.C * Eigen::Map<const Eigen::VectorXd>(x, n))(0) + system.D * input;
  };
  const auto count = [&] {
    long steps = 0, evals = 0;
    CVodeGetNumSteps(h.cvode, &steps);
    CVodeGetNumRhsEvals(h.cvode, &evals);
    result.steps += steps;
    result.rhs_evaluations += evals;
  };

  // Integrate to each output time; with a hold, period by period, restarting at each jump.
  double t = 0.0;
  const double T = options.hold_period_s;
  problem.holding = T > 0.0;
  if (problem.holding) problem.held_u = u(0.0);
  for (double t_out : times_s) {
    while (t < t_out) {
      // The next stop: the output time, or the next period boundary if that comes first.
      double t_stop = t_out;
      bool at_boundary = false;
      if (problem.holding) {
        const double boundary = (std::floor(t / T + 1e-9) + 1.0) * T;
        at_boundary = boundary <= t_out;
        t_stop = std::min(t_out, boundary);
      }
      CVodeSetStopTime(h.cvode, t_stop);
      sunrealtype reached = t;
      flag = CVode(h.cvode, t_stop, h.x, &reached, CV_NORMAL);
      if (flag < 0) {
        count();
        return fail("CVode", flag);
      }
      t = t_stop;

      // At a boundary the held input jumps: restart from the present state.
      if (at_boundary) {
        count();
        problem.held_u = u(t);
        CVodeReInit(h.cvode, t, h.x);
      }
    }
    result.time_s.push_back(t);
    result.output.push_back(output(t));
  }
  count();
  return result;
}

}  // namespace psw::stage
