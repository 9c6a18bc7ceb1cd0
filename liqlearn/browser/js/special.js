// liqlearn browser twin: special functions the generated formulas call.
// JavaScript has no erf; erfc below follows W. J. Cody, "Rational Chebyshev
// approximations for the error function", Math. Comp. 23 (1969) 631-638, with the
// published coefficients (three intervals: |x| <= 0.46875, <= 4, > 4), good to
// about 1e-15 relative in double precision.  Phi(x) = erfc(-x / sqrt 2) / 2.

const ERF_A = [3.16112374387056560e0, 1.13864154151050156e2, 3.77485237685302021e2,
  3.20937758913846947e3, 1.85777706184603153e-1];
const ERF_B = [2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3,
  2.84423683343917062e3];
const ERFC_C = [5.64188496988670089e-1, 8.88314979438837594e0, 6.61191906371416295e1,
  2.98635138197400131e2, 8.81952221241769090e2, 1.71204761263407058e3,
  2.05107837782607147e3, 1.23033935479799725e3, 2.15311535474403846e-8];
const ERFC_D = [1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2,
  1.62138957456669019e3, 3.29079923573345963e3, 4.36261909014324716e3,
  3.43936767414372164e3, 1.23033935480374942e3];
const ERFC_P = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
  1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2];
const ERFC_Q = [2.56852019228982242e0, 1.87295284992346047e0, 5.27905102951428412e-1,
  6.05183413124413191e-2, 2.33520497626869185e-3];
const ONE_OVER_SQRT_PI = 0.56418958354775628695;

// exp(-y*y) without losing digits to the rounding of y*y (split y at a 1/16 grid)
function expMinusSquare(y) {
  const head = Math.trunc(y * 16) / 16;
  return Math.exp(-head * head) * Math.exp(-(y - head) * (y + head));
}

// erfc(x), the complementary error function
export function erfc(x) {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  let r;
  if (y <= 0.46875) {
    const ysq = y > 1.11e-16 ? y * y : 0;
    let num = ERF_A[4] * ysq;
    let den = ysq;
    for (let i = 0; i < 3; i++) {
      num = (num + ERF_A[i]) * ysq;
      den = (den + ERF_B[i]) * ysq;
    }
    return 1 - x * (num + ERF_A[3]) / (den + ERF_B[3]);
  }
  if (y <= 4) {
    let num = ERFC_C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + ERFC_C[i]) * y;
      den = (den + ERFC_D[i]) * y;
    }
    r = expMinusSquare(y) * (num + ERFC_C[7]) / (den + ERFC_D[7]);
  } else if (y >= 26.543) {
    r = 0;
  } else {
    const ysq = 1 / (y * y);
    let num = ERFC_P[5] * ysq;
    let den = ysq;
    for (let i = 0; i < 4; i++) {
      num = (num + ERFC_P[i]) * ysq;
      den = (den + ERFC_Q[i]) * ysq;
    }
    r = ysq * (num + ERFC_P[4]) / (den + ERFC_Q[4]);
    r = expMinusSquare(y) * (ONE_OVER_SQRT_PI - r) / y;
  }
  return x < 0 ? 2 - r : r;
}

// Phi(x), the standard normal cumulative distribution function
export function Phi(x) {
  return 0.5 * erfc(-x / Math.SQRT2);
}
