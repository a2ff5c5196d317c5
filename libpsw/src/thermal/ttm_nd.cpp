// The two-temperature model on 2-D axisymmetric (r, z) and 3-D Cartesian (x, y, z) grids:
// the same finite volumes as the 1-D solver, integrated by CVODE with GMRES and a depth-column
// preconditioner.
#include <psw/core/banded.hpp>
#include <psw/core/error.hpp>
#include <psw/core/grid.hpp>
#include <psw/core/log.hpp>
#include <psw/thermal/two_temperature_model.hpp>

#include "ttm_internal.hpp"

#include <sunlinsol/sunlinsol_spgmr.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

namespace psw::thermal::detail {
namespace {

const double kPi = constants::kPi;

// ∫ exp(−2(s − centre)²/w²) ds over [a, b].
double gaussian_strip(double a, double b, double centre, double w) {
  const double scale = std::sqrt(2.0) / w;
  return 0.5 * w * std::sqrt(kPi / 2.0) *
         (std::erf(scale * (b - centre)) - std::erf(scale * (a - centre)));
}

struct ModelND {
  const TtmCase& c;
  bool axisymmetric;
  std::size_t nx, ny, nz, columns, n;
  std::vector<double> xf, yf;       // lateral faces
  std::vector<double> zc, dz;       // depth centres and widths
  std::vector<int> layer;           // layer of each depth cell
  std::vector<const Material*> mat; // per cell
  std::vector<double> volume;       // per cell
  std::vector<double> column_area;  // per column (z-face area)
  std::vector<double> column_fluence;  // ∫F dA over the column / F, m² (spot weight)
  std::vector<double> absorb;       // per cell: Beer–Lambert fraction of its column
  // Lattice conductances (W/K) of the faces between (i,j,k) and its +x, +y, +z neighbours.
  std::vector<double> lat_x, lat_y, lat_z;
  double domain_area = 0.0;
  std::vector<std::vector<double>> heat;  // per heat input: W into each cell while on

  // Energy the heat inputs delivered between the start and t, J.
  double heat_energy(double t) const {
    double e = 0.0;
    for (std::size_t h = 0; h < heat.size(); ++h) {
      const HeatInput& in = c.heat_inputs[h];
      double power = 0.0;
      for (double q : heat[h]) power += q;
      e += power * (in.elapsed(t) - in.elapsed(c.start_s));
    }
    return e;
  }

  std::size_t id(std::size_t i, std::size_t j, std::size_t k) const {
    return (i * ny + j) * nz + k;
  }

  explicit ModelND(const TtmCase& cs)
      : c(cs), axisymmetric(cs.lateral.geometry == Geometry::axisymmetric) {
    const Lateral& L = c.lateral;
    nx = L.cells_x;
    ny = axisymmetric ? 1 : L.cells_y;

    // Depth grid from the layers, as in 1-D.
    DepthGrid grid = depth_grid(c);
    zc = std::move(grid.centres);
    dz = std::move(grid.widths);
    layer = std::move(grid.layer);
    nz = zc.size();
    columns = nx * ny;
    n = columns * nz;

    // Lateral grids: uniform; the disc runs from the axis, the box from 0.
    const auto gx = Grid1D::uniform(L.size_x_m, nx);
    xf.assign(gx.faces().begin(), gx.faces().end());
    if (axisymmetric) {
      yf = {0.0, 1.0};
    } else {
      const auto gy = Grid1D::uniform(L.size_y_m, ny);
      yf.assign(gy.faces().begin(), gy.faces().end());
    }

    // Materials: the layer's, unless a region covers the cell centre.
    mat.resize(n);
    for (std::size_t i = 0; i < nx; ++i) {
      for (std::size_t j = 0; j < ny; ++j) {
        const double x = 0.5 * (xf[i] + xf[i + 1]), y = 0.5 * (yf[j] + yf[j + 1]);
        for (std::size_t k = 0; k < nz; ++k) {
          const Material* m = &c.layers[static_cast<std::size_t>(layer[k])].material;
          for (const Region& r : L.regions) {
            if (zc[k] < r.z0 || zc[k] > r.z1) continue;
            const bool inside =
                r.shape == Region::Shape::box
                    ? (x >= r.x0 && x <= r.x1 && (axisymmetric || (y >= r.y0 && y <= r.y1)))
                    : std::hypot(x - r.centre_x, y - r.centre_y) <= r.radius;
            if (inside) m = &r.material;
          }
          mat[id(i, j, k)] = m;
        }
      }
    }

    // Areas and volumes; the spot's weight over each column.
    column_area.resize(columns);
    column_fluence.resize(columns);
    for (std::size_t i = 0; i < nx; ++i) {
      for (std::size_t j = 0; j < ny; ++j) {
        const std::size_t col = i * ny + j;
        const double w = L.spot_radius_m;
        if (axisymmetric) {
          column_area[col] = kPi * (xf[i + 1] * xf[i + 1] - xf[i] * xf[i]);
          column_fluence[col] = w > 0.0 ? 0.5 * kPi * w * w *
                                              (std::exp(-2.0 * xf[i] * xf[i] / (w * w)) -
                                               std::exp(-2.0 * xf[i + 1] * xf[i + 1] / (w * w)))
                                        : column_area[col];
        } else {
          column_area[col] = (xf[i + 1] - xf[i]) * (yf[j + 1] - yf[j]);
          column_fluence[col] = w > 0.0 ? gaussian_strip(xf[i], xf[i + 1], L.spot_x_m, w) *
                                              gaussian_strip(yf[j], yf[j + 1], L.spot_y_m, w)
                                        : column_area[col];
        }
        domain_area += column_area[col];
      }
    }
    volume.resize(n);
    absorb.assign(n, 0.0);
    const double delta = c.source.penetration_depth_m + c.source.ballistic_range_m;
    for (std::size_t col = 0; col < columns; ++col) {
      double depth = 0.0;
      for (std::size_t k = 0; k < nz; ++k) {
        const std::size_t cell = col * nz + k;
        volume[cell] = column_area[col] * dz[k];
        if (!mat[cell]->metal) continue;
        absorb[cell] = std::exp(-depth / delta) - std::exp(-(depth + dz[k]) / delta);
        depth += dz[k];
      }
    }

    // Heat inputs: W into each cell's lattice while on (depth overlap × column area, within
    // the input's radius of the spot centre or axis).
    for (const HeatInput& h : c.heat_inputs) {
      std::vector<double> per_cell(n, 0.0);
      for (std::size_t i = 0; i < nx; ++i) {
        for (std::size_t j = 0; j < ny; ++j) {
          const double x = 0.5 * (xf[i] + xf[i + 1]), y = 0.5 * (yf[j] + yf[j + 1]);
          const double distance =
              axisymmetric ? x : std::hypot(x - L.spot_x_m, y - L.spot_y_m);
          if (h.radius_m > 0.0 && distance > h.radius_m) continue;
          for (std::size_t k = 0; k < nz; ++k) {
            per_cell[id(i, j, k)] = h.power_density_W_per_m3 * column_area[i * ny + j] *
                                    overlap(zc[k] - 0.5 * dz[k], zc[k] + 0.5 * dz[k],
                                            h.depth_from_m, h.depth_to_m);
          }
        }
      }
      heat.push_back(std::move(per_cell));
    }

    // Lattice face conductances, two half cells in series (plus the layers' interfaces in z).
    lat_x.assign(n, 0.0);
    lat_y.assign(n, 0.0);
    lat_z.assign(n, 0.0);
    for (std::size_t i = 0; i < nx; ++i) {
      for (std::size_t j = 0; j < ny; ++j) {
        for (std::size_t k = 0; k < nz; ++k) {
          const std::size_t a = id(i, j, k);
          if (i + 1 < nx) {
            lat_x[a] = series(mat[a]->lattice_conductivity, mat[id(i + 1, j, k)]->lattice_conductivity,
                              0.5 * (xf[i + 1] - xf[i]), 0.5 * (xf[i + 2] - xf[i + 1]), 0.0) *
                       x_face_area(i, j, k);
          }
          if (j + 1 < ny) {
            lat_y[a] = series(mat[a]->lattice_conductivity, mat[id(i, j + 1, k)]->lattice_conductivity,
                              0.5 * (yf[j + 1] - yf[j]), 0.5 * (yf[j + 2] - yf[j + 1]), 0.0) *
                       y_face_area(i, k);
          }
          if (k + 1 < nz) {
            const double interface = layer[k] != layer[k + 1]
                ? 1.0 / c.layers[static_cast<std::size_t>(layer[k])].interface_conductance
                : 0.0;
            lat_z[a] = series(mat[a]->lattice_conductivity, mat[id(i, j, k + 1)]->lattice_conductivity,
                              0.5 * dz[k], 0.5 * dz[k + 1], interface) *
                       column_area[i * ny + j];
          }
        }
      }
    }
  }

  // Conductance per area of two half cells (and an interface resistance) in series.
  static double series(double ka, double kb, double ha, double hb, double interface) {
    if (ka <= 0.0 || kb <= 0.0) return 0.0;
    return 1.0 / (ha / ka + hb / kb + interface);
  }
  double x_face_area(std::size_t i, std::size_t j, std::size_t k) const {
    return axisymmetric ? 2.0 * kPi * xf[i + 1] * dz[k] : (yf[j + 1] - yf[j]) * dz[k];
  }
  double y_face_area(std::size_t i, std::size_t k) const { return (xf[i + 1] - xf[i]) * dz[k]; }
  double half_x(std::size_t i) const { return 0.5 * (xf[i + 1] - xf[i]); }
  double half_y(std::size_t j) const { return 0.5 * (yf[j + 1] - yf[j]); }

  double ke(std::size_t cell, const double* y) const {
    return electron_conductivity(c, *mat[cell], y[2 * cell], y[2 * cell + 1]);
  }

  // Electron conductance (W/K) between cells a and b, through face `area`, half widths ha, hb.
  double electron_face(std::size_t a, std::size_t b, double ha, double hb, double area,
                       const double* y) const {
    if (!mat[a]->metal || !mat[b]->metal) return 0.0;
    return series(ke(a, y), ke(b, y), ha, hb, 0.0) * area;
  }

  // Boundary heat gain of the whole domain, W (front and back faces of every column).
  double boundary_gain_total(const double* y) const {
    double gain = 0.0;
    for (std::size_t col = 0; col < columns; ++col) {
      for (auto [k, b] : {std::pair{std::size_t{0}, &c.front}, std::pair{nz - 1, &c.back}}) {
        const std::size_t cell = col * nz + k;
        const Material& m = *mat[cell];
        gain += column_area[col] *
                boundary_gain(*b, y[2 * cell + 1], m.lattice_conductivity, dz[k], true);
        if (m.metal) {
          gain += column_area[col] * boundary_gain(*b, y[2 * cell], ke(cell, y), dz[k], false);
        }
      }
    }
    return gain;
  }

  void rhs(double t, const double* y, double* dy) const {
    const double pulse = (1.0 - c.source.reflectivity) * c.source.fluence_J_per_m2 *
                         c.source.temporal(t);
    std::vector<double> q(2 * n, 0.0);  // net heat into each unknown's cell, W

    // Face flows: +x, +y, +z neighbours of every cell.
    auto exchange = [&](std::size_t a, std::size_t b, double lattice_conductance, double ha,
                        double hb, double area) {
      const double fl = lattice_conductance * (y[2 * a + 1] - y[2 * b + 1]);
      q[2 * a + 1] -= fl;
      q[2 * b + 1] += fl;
      const double ce = electron_face(a, b, ha, hb, area, y);
      if (ce > 0.0) {
        const double fe = ce * (y[2 * a] - y[2 * b]);
        q[2 * a] -= fe;
        q[2 * b] += fe;
      }
    };
    for (std::size_t i = 0; i < nx; ++i) {
      for (std::size_t j = 0; j < ny; ++j) {
        for (std::size_t k = 0; k < nz; ++k) {
          const std::size_t a = id(i, j, k);
          if (i + 1 < nx) {
            exchange(a, id(i + 1, j, k), lat_x[a], half_x(i), half_x(i + 1), x_face_area(i, j, k));
          }
          if (j + 1 < ny) {
            exchange(a, id(i, j + 1, k), lat_y[a], half_y(j), half_y(j + 1), y_face_area(i, k));
          }
          if (k + 1 < nz) {
            exchange(a, id(i, j, k + 1), lat_z[a], 0.5 * dz[k], 0.5 * dz[k + 1],
                     column_area[i * ny + j]);
          }
        }
      }
    }

    // Front and back faces of each column.
    for (std::size_t col = 0; col < columns; ++col) {
      for (auto [k, b] : {std::pair{std::size_t{0}, &c.front}, std::pair{nz - 1, &c.back}}) {
        const std::size_t cell = col * nz + k;
        const Material& m = *mat[cell];
        q[2 * cell + 1] += column_area[col] *
                           boundary_gain(*b, y[2 * cell + 1], m.lattice_conductivity, dz[k], true);
        if (m.metal) {
          q[2 * cell] += column_area[col] * boundary_gain(*b, y[2 * cell], ke(cell, y), dz[k], false);
        }
      }
    }

    // Heat inputs that are on at t.
    for (std::size_t h = 0; h < heat.size(); ++h) {
      const HeatInput& in = c.heat_inputs[h];
      if (t < in.start_s || t >= in.start_s + in.duration_s) continue;
      for (std::size_t cell = 0; cell < n; ++cell) q[2 * cell + 1] += heat[h][cell];
    }

    // Source, coupling, heat capacities.
    for (std::size_t col = 0; col < columns; ++col) {
      for (std::size_t k = 0; k < nz; ++k) {
        const std::size_t cell = col * nz + k;
        const Material& m = *mat[cell];
        const double V = volume[cell];
        if (!m.metal) {
          dy[2 * cell] = 0.0;  // no electrons: an unused unknown that stays put
          dy[2 * cell + 1] = q[2 * cell + 1] / (m.lattice_heat_capacity * V);
          continue;
        }
        const double Te = y[2 * cell], Tl = y[2 * cell + 1];
        const double gv = coupling(c, m, Te) * (Te - Tl) * V;
        const double source = pulse * column_fluence[col] * absorb[cell];
        dy[2 * cell] = (q[2 * cell] + source - gv) / (electron_capacity(c, m, Te) * V);
        dy[2 * cell + 1] = (q[2 * cell + 1] + gv) / (m.lattice_heat_capacity * V);
      }
    }
  }

  // ---- preconditioner: M = I − γJ restricted to each depth column, lateral terms diagonal --

  std::vector<std::optional<BandedLU>> column_lu;

  void setup_preconditioner(const double* y, double gamma) {
    column_lu.resize(columns);
    for (std::size_t i = 0; i < nx; ++i) {
      for (std::size_t j = 0; j < ny; ++j) {
        const std::size_t col = i * ny + j;
        BandedMatrix M(2 * nz, 2, 2);
        for (std::size_t k = 0; k < nz; ++k) {
          const std::size_t cell = col * nz + k;
          const Material& m = *mat[cell];
          const double V = volume[cell];
          const std::size_t e = 2 * k, l = 2 * k + 1;
          if (!m.metal) {
            M(e, e) = 1.0;
          }
          const double cl = m.lattice_heat_capacity * V;
          double lattice_diag = 0.0, electron_diag = 0.0;

          // Lateral neighbours: their conductances on the diagonal only.
          auto lateral = [&](std::size_t other, double lat, double ha, double hb, double area) {
            lattice_diag += lat;
            electron_diag += electron_face(cell, other, ha, hb, area, y);
          };
          if (i + 1 < nx) lateral(id(i + 1, j, k), lat_x[cell], half_x(i), half_x(i + 1),
                                  x_face_area(i, j, k));
          if (i > 0) lateral(id(i - 1, j, k), lat_x[id(i - 1, j, k)], half_x(i), half_x(i - 1),
                             x_face_area(i - 1, j, k));
          if (j + 1 < ny) lateral(id(i, j + 1, k), lat_y[cell], half_y(j), half_y(j + 1),
                                  y_face_area(i, k));
          if (j > 0) lateral(id(i, j - 1, k), lat_y[id(i, j - 1, k)], half_y(j), half_y(j - 1),
                             y_face_area(i, k));

          // Depth neighbours: full coupling within the column.
          for (int side : {-1, 1}) {
            if ((side < 0 && k == 0) || (side > 0 && k + 1 == nz)) continue;
            const std::size_t kk = side < 0 ? k - 1 : k + 1;
            const std::size_t other = col * nz + kk;
            const double lat = side < 0 ? lat_z[other] : lat_z[cell];
            const double el = electron_face(cell, other, 0.5 * dz[k], 0.5 * dz[kk],
                                            column_area[col], y);
            lattice_diag += lat;
            M(l, 2 * kk + 1) = -gamma * lat / cl;
            if (m.metal && el > 0.0) {
              electron_diag += el;
              M(e, 2 * kk) = -gamma * el / (electron_capacity(c, m, y[2 * cell]) * V);
            }
          }

          // Boundary slopes.
          for (auto [kb, b] : {std::pair{std::size_t{0}, &c.front}, std::pair{nz - 1, &c.back}}) {
            if (kb != k) continue;
            lattice_diag -= column_area[col] *
                            boundary_gain_slope(*b, y[2 * cell + 1], m.lattice_conductivity, dz[k], true);
            if (m.metal) {
              electron_diag -= column_area[col] *
                               boundary_gain_slope(*b, y[2 * cell], ke(cell, y), dz[k], false);
            }
          }

          // Coupling and the diagonal.
          if (m.metal) {
            const double ce = electron_capacity(c, m, y[2 * cell]) * V;
            const double gv = coupling(c, m, y[2 * cell]) * V;
            M(e, e) = 1.0 + gamma * (electron_diag + gv) / ce;
            M(e, l) = -gamma * gv / ce;
            M(l, e) = -gamma * gv / cl;
            M(l, l) = 1.0 + gamma * (lattice_diag + gv) / cl;
          } else {
            M(l, l) = 1.0 + gamma * lattice_diag / cl;
          }
        }
        column_lu[col].emplace(std::move(M));
      }
    }
  }

  void solve_preconditioner(const double* r, double* z) const {
    for (std::size_t col = 0; col < columns; ++col) {
      std::copy(r + 2 * col * nz, r + 2 * (col + 1) * nz, z + 2 * col * nz);
      column_lu[col]->solve(std::span<double>(z + 2 * col * nz, 2 * nz));
    }
  }
};

int nd_rhs(double t, N_Vector y, N_Vector ydot, void* data) {
  static_cast<const ModelND*>(data)->rhs(t, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
  return 0;
}

int nd_psetup(double, N_Vector y, N_Vector, int jok, int* jcur, double gamma, void* data) {
  (void)jok;
  try {
    static_cast<ModelND*>(data)->setup_preconditioner(N_VGetArrayPointer(y), gamma);
  } catch (const std::exception&) {
    return 1;  // recoverable: CVODE retries with a smaller step
  }
  *jcur = 1;
  return 0;
}

int nd_psolve(double, N_Vector, N_Vector, N_Vector r, N_Vector z, double, double, int,
              void* data) {
  static_cast<const ModelND*>(data)->solve_preconditioner(N_VGetArrayPointer(r),
                                                          N_VGetArrayPointer(z));
  return 0;
}

}  // namespace

TtmResult run_ttm_nd(const TtmCase& c) {
  ModelND model(c);
  const std::size_t n = model.n;
  TtmResult r;
  r.geometry = c.lateral.geometry;
  r.x_m = model.zc;
  r.width_m = model.dz;
  r.layer_of_cell = model.layer;
  r.lateral_x_faces_m = model.xf;
  r.lateral_y_faces_m = model.axisymmetric ? std::vector<double>{} : model.yf;


  // CVODE with GMRES, left-preconditioned by the column solves.
  Cvode cv;
  if (SUNContext_Create(nullptr, &cv.ctx) != 0) throw std::runtime_error("SUNContext_Create failed");
  cv.y = N_VNew_Serial(static_cast<sunindextype>(2 * n), cv.ctx);
  double* y = N_VGetArrayPointer(cv.y);
  for (std::size_t cell = 0; cell < n; ++cell) {
    y[2 * cell + 1] = c.initial_temperature_K;
    y[2 * cell] = model.mat[cell]->metal
                      ? c.initial_electron_temperature_K.value_or(c.initial_temperature_K)
                      : c.initial_temperature_K;
  }
  cv.mem = CVodeCreate(CV_BDF, cv.ctx);
  CVodeSetErrHandlerFn(cv.mem, cvode_error_handler, nullptr);
  CVodeInit(cv.mem, nd_rhs, c.start_s, cv.y);
  CVodeSStolerances(cv.mem, c.solver.rtol, c.solver.atol_K);
  CVodeSetUserData(cv.mem, &model);
  CVodeSetMaxNumSteps(cv.mem, c.solver.max_steps);
  cv.LS = SUNLinSol_SPGMR(cv.y, SUN_PREC_LEFT, 20, cv.ctx);
  CVodeSetLinearSolver(cv.mem, cv.LS, nullptr);
  CVodeSetPreconditioner(cv.mem, nd_psetup, nd_psolve);


  // Outputs, the ledger per unit area of the domain, and the HAZ running maximum.
  r.haz.lattice_max_K.assign(n, 0.0);
  const double area = model.domain_area;
  double spot_weight = 0.0;  // Σ over columns of ∫F dA/F × absorbed fraction
  for (std::size_t cell = 0; cell < n; ++cell) {
    spot_weight += model.column_fluence[cell / model.nz] * model.absorb[cell];
  }
  const double absorbed_per_pulse =
      (1.0 - c.source.reflectivity) * c.source.fluence_J_per_m2 * spot_weight / area;
  const double delivered_at_start = c.source.delivered(c.start_s);
  double boundary_loss = 0.0, previous_gain = model.boundary_gain_total(y);
  double previous_t = c.start_s, electrons0 = 0.0, lattice0 = 0.0;
  bool first = true;
  auto record = [&](double t) {
    r.time_s.push_back(t);
    double electrons = 0.0, lattice = 0.0;
    for (std::size_t cell = 0; cell < n; ++cell) {
      const Material& m = *model.mat[cell];
      const double Tl = y[2 * cell + 1], Te = m.metal ? y[2 * cell] : Tl;
      r.Te_K.push_back(Te);
      r.Tl_K.push_back(Tl);
      r.haz.lattice_max_K[cell] = std::max(r.haz.lattice_max_K[cell], Tl);
      r.haz.electron_max_K = std::max(r.haz.electron_max_K, Te);
      lattice += m.lattice_heat_capacity * (Tl - c.initial_temperature_K) * model.volume[cell];
      if (m.metal) electrons += electron_energy(c, m, Te) * model.volume[cell];
    }
    if (first) {
      electrons0 = electrons;
      lattice0 = lattice;
      first = false;
    }
    const double gain = model.boundary_gain_total(y);
    boundary_loss -= 0.5 * (gain + previous_gain) * (t - previous_t);
    previous_gain = gain;
    previous_t = t;
    r.energy.absorbed_J_per_m2.push_back(absorbed_per_pulse *
                                             (c.source.delivered(t) - delivered_at_start) +
                                         model.heat_energy(t) / area);
    r.energy.electrons_J_per_m2.push_back((electrons - electrons0) / area);
    r.energy.lattice_J_per_m2.push_back((lattice - lattice0) / area);
    r.energy.boundary_loss_J_per_m2.push_back(boundary_loss / area);
  };
  // Running maxima at every internal step, not only at outputs.
  auto on_step = [&] {
    for (std::size_t cell = 0; cell < n; ++cell) {
      const double Tl = y[2 * cell + 1];
      r.haz.lattice_max_K[cell] = std::max(r.haz.lattice_max_K[cell], Tl);
      if (model.mat[cell]->metal) r.haz.electron_max_K = std::max(r.haz.electron_max_K, y[2 * cell]);
    }
  };
  integrate_outputs(c, cv, r, record, on_step);

  // HAZ: deepest and widest cells that reached their thresholds.
  r.haz.threshold_K = c.haz_threshold_K.value_or(c.layers.front().material.haz_threshold_K);
  for (std::size_t i = 0; i < model.nx; ++i) {
    for (std::size_t j = 0; j < model.ny; ++j) {
      for (std::size_t k = 0; k < model.nz; ++k) {
        const std::size_t cell = model.id(i, j, k);
        const double peak = r.haz.lattice_max_K[cell];
        r.haz.lattice_peak_K = std::max(r.haz.lattice_peak_K, peak);
        if (peak < c.haz_threshold_K.value_or(model.mat[cell]->haz_threshold_K)) continue;
        r.haz.extent_m = std::max(r.haz.extent_m, model.zc[k] + 0.5 * model.dz[k]);
        const double x = 0.5 * (model.xf[i] + model.xf[i + 1]);
        const double yy = 0.5 * (model.yf[j] + model.yf[j + 1]);
        const double d = model.axisymmetric
                             ? x
                             : std::hypot(x - c.lateral.spot_x_m, yy - c.lateral.spot_y_m);
        r.haz.lateral_extent_m = std::max(r.haz.lateral_extent_m, d);
      }
    }
  }
  r.haz.electron_diffusion_length_m = c.layers.front().material.electron_diffusion_length();

  log::telemetry(log::Level::info, "ttm_done",
                 {{"ok", r.ok}, {"cells", n}, {"outputs", r.time_s.size()}, {"steps", r.steps},
                  {"Te_max_K", r.haz.electron_max_K}, {"Tl_max_K", r.haz.lattice_peak_K},
                  {"energy_imbalance", r.energy.relative_imbalance()}});
  return r;
}

}  // namespace psw::thermal::detail
