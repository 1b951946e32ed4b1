import { describe, expect, it } from 'vitest'
import {
  averageRanks,
  correlate,
  linearFit,
  pearson,
  smallSampleWarning,
  spearman,
  Z_95,
} from '~/insights/statistics'

/**
 * Independent check of a two-sided t-test p-value for an odd number of degrees of freedom, from
 * the closed form in Abramowitz & Stegun, Handbook of Mathematical Functions, 26.7.3:
 *   A(t|ν) = (2/π)·(θ + sin θ·(cos θ + (2/3)cos³θ + … + (2·4…(ν−3))/(1·3…(ν−2))·cos^(ν−2)θ)),
 *   θ = atan(t/√ν), and p = 1 − A(|t| | ν).
 * It uses only elementary functions, so it shares no code with stdlib's incomplete beta function.
 */
function twoSidedPOddDf(t: number, df: number): number {
  const theta = Math.atan(Math.abs(t) / Math.sqrt(df))
  const c = Math.cos(theta)
  let series = 0
  let coefficient = 1
  let power = c
  for (let j = 0; j < (df - 1) / 2; j++) {
    series += coefficient * power
    coefficient *= (2 * (j + 1)) / (2 * (j + 1) + 1)
    power *= c * c
  }
  return 1 - (2 / Math.PI) * (theta + Math.sin(theta) * series)
}

// Anscombe, F. J. (1973). Graphs in Statistical Analysis. The American Statistician 27(1), 17–21:
// data set I. Its correlation is the famous 0.816 shared by all four sets; the full-precision value
// 0.81642051634484 is the one reproduced by R's cor(anscombe$x1, anscombe$y1).
const anscombeX = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5]
const anscombeY = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68]

// NIST Statistical Reference Datasets, "Norris" (linear least squares, lower difficulty, n = 36),
// https://www.itl.nist.gov/div898/strd/lls/data/Norris.shtml. Certified values: B0 (intercept)
// = −0.262323073774029, B1 (slope) = 1.00211681802045, R² = 0.999993745883712, so
// r = +√R² = 0.99999687293696… (positive slope).
const norrisX = [
  0.2, 337.4, 118.2, 884.6, 10.1, 226.5, 666.3, 996.3, 448.6, 777.0, 558.2, 0.4, 0.6, 775.5, 666.9, 338.0, 447.5,
  11.6, 556.0, 228.1, 995.8, 887.6, 120.2, 0.3, 0.3, 556.8, 339.1, 887.2, 999.0, 779.0, 11.1, 118.3, 229.2, 669.1,
  448.9, 0.5,
]
const norrisY = [
  0.1, 338.8, 118.1, 888.0, 9.2, 228.1, 668.5, 998.5, 449.1, 778.9, 559.2, 0.3, 0.1, 778.1, 668.8, 339.3, 448.9,
  10.8, 557.7, 228.3, 998.0, 888.8, 119.6, 0.3, 0.6, 557.6, 339.3, 888.0, 998.5, 778.9, 10.2, 117.6, 228.9, 668.4,
  449.2, 0.2,
]

// Wikipedia, "Spearman's rank correlation coefficient", section "Example": IQ of ten people against
// hours of TV watched per week. Published: Σd² = 194, ρ = 1 − 6·194/(10·99) = −29/165
// = −0.175757575…, p = 0.627188 (using the t distribution).
const iq = [106, 100, 86, 101, 99, 103, 97, 113, 112, 110]
const tvHours = [7, 27, 2, 50, 28, 29, 20, 12, 6, 17]

describe('Z_95', () => {
  it('is the 97.5th percentile of the standard normal', () => {
    expect(Z_95).toBeCloseTo(1.959963984540054, 12)
  })
})

describe('pearson', () => {
  it("reproduces Anscombe's set I: r, t, p and the Fisher interval", () => {
    const result = pearson(anscombeX, anscombeY)
    expect(result.reason).toBeNull()
    expect(result.n).toBe(11)
    expect(result.r).toBeCloseTo(0.81642051634484, 12)
    // t = r·√(9/(1 − r²)) = 4.241455288892825
    expect(result.t).toBeCloseTo(4.241455288892825, 9)
    // p: A&S 26.7.3 closed form with ν = 9 (computed below) = 0.0021696288730788;
    // SciPy 1.17 stats.pearsonr gives the same 0.0021696288730788.
    expect(result.p).toBeCloseTo(twoSidedPOddDf(4.241455288892825, 9), 12)
    expect(result.p).toBeCloseTo(0.0021696288730788, 12)
    // tanh(atanh(r) ∓ 1.959963984540054/√8)
    expect(result.ciLow).toBeCloseTo(0.4243912133932153, 9)
    expect(result.ciHigh).toBeCloseTo(0.9506932537865604, 9)
  })

  it("reproduces NIST StRD Norris's certified R² (r = √R²)", () => {
    const result = pearson(norrisX, norrisY)
    expect(result.n).toBe(36)
    expect(result.r).toBeCloseTo(Math.sqrt(0.999993745883712), 12)
    expect(result.r! ** 2).toBeCloseTo(0.999993745883712, 12)
    // t on 34 df is ≈ 2331.6: p is astronomically small (SciPy: 4.654e-90) but still a number.
    expect(result.t).toBeCloseTo(2331.6057858, 4)
    expect(result.p).toBeGreaterThan(0)
    expect(result.p).toBeLessThan(1e-80)
  })

  it('is exactly ±1 on a perfect line, with p = 0, no finite t and a collapsed interval', () => {
    expect(pearson([1, 2, 3, 4], [3, 5, 7, 9])).toEqual({
      n: 4, r: 1, t: null, p: 0, ciLow: 1, ciHigh: 1, reason: null,
    })
    expect(pearson([1, 2, 3, 4], [8, 6, 4, 2])).toMatchObject({ r: -1, p: 0, ciLow: -1, ciHigh: -1 })
  })

  it('is 0 with p = 1 on uncorrelated data', () => {
    // x̄ = 2, ȳ = 2: dx = [−1, 0, 1], dy = [1, −2, 1], Σdx·dy = −1 + 0 + 1 = 0
    const result = pearson([1, 2, 3], [3, 0, 3])
    expect(result.r).toBe(0)
    expect(result.t).toBe(0)
    expect(result.p).toBe(1)
  })

  it('spans the whole [−1, 1] interval at n = 3 (Fisher standard error 1/√0)', () => {
    const result = pearson([1, 2, 3], [1, 3, 2])
    expect(result.r).toBeCloseTo(0.5, 15)
    expect(result.ciLow).toBe(-1)
    expect(result.ciHigh).toBe(1)
  })

  it('returns null figures with a reason instead of NaN', () => {
    const none = { r: null, t: null, p: null, ciLow: null, ciHigh: null }
    expect(pearson([], [])).toEqual({ n: 0, ...none, reason: 'too_few_points' })
    expect(pearson([1, 2], [3, 4])).toEqual({ n: 2, ...none, reason: 'too_few_points' })
    expect(pearson([1, 2, 3], [5, 5, 5])).toEqual({ n: 3, ...none, reason: 'zero_variance' })
    // A constant non-representable value: its float mean is not exactly 0.1, the check must not care.
    expect(pearson([0.1, 0.1, 0.1], [1, 2, 3])).toMatchObject({ reason: 'zero_variance' })
  })

  it('refuses unpaired or non-finite input', () => {
    expect(() => pearson([1, 2, 3], [1, 2])).toThrow(RangeError)
    expect(() => pearson([1, 2, Number.NaN], [1, 2, 3])).toThrow(/non-finite/)
  })
})

describe('averageRanks', () => {
  it('gives ties the mean of the ranks they span', () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4])
    expect(averageRanks([3, 1, 3, 3, 2])).toEqual([4, 1, 4, 4, 2])
    expect(averageRanks([5, 5, 5])).toEqual([2, 2, 2])
    expect(averageRanks([])).toEqual([])
  })

  it('keeps the input order', () => {
    expect(averageRanks([0.5, -2, 7])).toEqual([2, 1, 3])
  })
})

describe('spearman', () => {
  it('reproduces the Wikipedia IQ vs hours of TV example', () => {
    const result = spearman(iq, tvHours)
    expect(result.n).toBe(10)
    expect(result.rho).toBeCloseTo(-29 / 165, 14)
    expect(result.rho).toBeCloseTo(-0.175757575757576, 12)
    expect(result.p).toBeCloseTo(0.627188, 6)
    // SciPy 1.17 stats.spearmanr, full precision:
    expect(result.p).toBeCloseTo(0.6271883447764846, 10)
  })

  it('handles ties through average ranks (exact rational ρ, worked by hand)', () => {
    // x = [1, 1, 2, 3, 3] → ranks [1.5, 1.5, 3, 4.5, 4.5]; y = [1, 1, 3, 2, 3] → ranks [1.5, 1.5, 4.5, 3, 4.5].
    // Both rank means are 3. Deviations: dx = [−1.5, −1.5, 0, 1.5, 1.5], dy = [−1.5, −1.5, 1.5, 0, 1.5].
    // Σdx·dy = 2.25 + 2.25 + 0 + 0 + 2.25 = 6.75; Σdx² = Σdy² = 4·2.25 = 9; ρ = 6.75/9 = 3/4.
    // (The no-ties shortcut 1 − 6Σd²/(n(n²−1)) = 1 − 6·4.5/120 = 0.775 would be wrong here.)
    // t = 0.75·√(3/(1 − 0.5625)) = 1.9639610121239…, df = 3; p by A&S 26.7.3 = 0.1442936128143…
    // (SciPy 1.17 stats.spearmanr: rho 0.75, p 0.14429361281438755).
    const result = spearman([1, 1, 2, 3, 3], [1, 1, 3, 2, 3])
    expect(result.rho).toBeCloseTo(0.75, 14)
    expect(result.p).toBeCloseTo(twoSidedPOddDf(0.75 * Math.sqrt(3 / (1 - 0.5625)), 3), 12)
    expect(result.p).toBeCloseTo(0.14429361281438755, 12)
  })

  it("matches SciPy on Anscombe's set I (no ties: ρ = 1 − 6·40/(11·120) = 9/11)", () => {
    const result = spearman(anscombeX, anscombeY)
    expect(result.rho).toBeCloseTo(9 / 11, 14)
    expect(result.p).toBeCloseTo(0.0020831448404786917, 12)
  })

  it('matches SciPy on Norris, a real data set with several ties', () => {
    // SciPy 1.17 stats.spearmanr(norrisX, norrisY).statistic
    expect(spearman(norrisX, norrisY).rho).toBeCloseTo(0.9931758706783416, 12)
  })

  it('is 1 with p = 0 on any monotone relation', () => {
    expect(spearman([1, 2, 3, 4, 5], [1, 8, 27, 64, 125])).toEqual({ n: 5, rho: 1, p: 0, reason: null })
  })

  it('returns null figures with a reason on degenerate input', () => {
    expect(spearman([1, 2], [2, 1])).toEqual({ n: 2, rho: null, p: null, reason: 'too_few_points' })
    expect(spearman([1, 2, 3], [4, 4, 4])).toEqual({ n: 3, rho: null, p: null, reason: 'zero_variance' })
  })
})

describe('correlate', () => {
  it('drops unusable pairs and counts each under one reason', () => {
    const pairs = [
      ...anscombeX.map((x, i) => ({ x, y: anscombeY[i] })),
      { x: null, y: 3 },
      { x: null, y: null }, // both missing: counted once, as missing sentiment
      { x: 4, y: null },
      { x: 4, y: Number.NaN },
      { x: Number.POSITIVE_INFINITY, y: 2 },
    ]
    const report = correlate(pairs)
    expect(report.n).toBe(11)
    expect(report.excluded).toEqual({ missingSentiment: 2, missingKpi: 1, nonFinite: 2, total: 5 })
    expect(report.pearson.r).toBeCloseTo(0.81642051634484, 12)
    expect(report.spearman.rho).toBeCloseTo(9 / 11, 14)
  })

  it('reports too few points when nothing usable is left', () => {
    const report = correlate([{ x: null, y: 1 }])
    expect(report.n).toBe(0)
    expect(report.pearson.reason).toBe('too_few_points')
    expect(report.spearman.reason).toBe('too_few_points')
  })
})

describe('linearFit', () => {
  it("reproduces NIST StRD Norris's certified slope and intercept", () => {
    const fit = linearFit(norrisX, norrisY)
    expect(fit?.slope).toBeCloseTo(1.00211681802045, 12)
    expect(fit?.intercept).toBeCloseTo(-0.262323073774029, 10)
  })

  it("gives Anscombe's published line y = 3.00 + 0.500x (exactly 3.000090… + 0.500090…x)", () => {
    // Sxy = 55.01, Sxx = 110: slope = 0.50009090…; intercept = ȳ − slope·x̄ = 7.50090909… − 4.50081818…
    const fit = linearFit(anscombeX, anscombeY)
    expect(fit?.slope).toBeCloseTo(55.01 / 110, 12)
    expect(fit?.intercept).toBeCloseTo(3.00009090909091, 12)
  })

  it('is null when no line can be drawn', () => {
    expect(linearFit([1], [2])).toBeNull()
    expect(linearFit([2, 2, 2], [1, 2, 3])).toBeNull()
  })

  it('is flat for a constant y', () => {
    expect(linearFit([1, 2, 3], [4, 4, 4])).toEqual({ slope: 0, intercept: 4 })
  })
})

describe('smallSampleWarning', () => {
  it('flags fewer than 10 points', () => {
    expect(smallSampleWarning(9, 0.2, 0.8).fewPoints).toBe(true)
    expect(smallSampleWarning(10, 0.2, 0.8).fewPoints).toBe(false)
  })

  it('flags an interval wider than 1', () => {
    expect(smallSampleWarning(30, -0.2, 0.8)).toEqual({ fewPoints: false, wideInterval: false })
    expect(smallSampleWarning(30, -0.25, 0.8)).toEqual({ fewPoints: false, wideInterval: true })
  })

  it("treats a missing interval as wide (Anscombe's n = 11 interval is 0.526 wide: not flagged)", () => {
    expect(smallSampleWarning(2, null, null)).toEqual({ fewPoints: true, wideInterval: true })
    const { n, ciLow, ciHigh } = pearson(anscombeX, anscombeY)
    expect(smallSampleWarning(n, ciLow, ciHigh)).toEqual({ fewPoints: false, wideInterval: false })
  })
})
