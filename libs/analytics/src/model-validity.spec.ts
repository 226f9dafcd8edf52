import { bgnbdFitProblem, gammaGammaFitProblem, gammaGammaParamsProblem, sbgDataProblem, sbgFitProblem } from './model-validity';
import type { FitReport } from './model.types';

const report = <Params>(params: Params, overrides: Partial<FitReport<Params>> = {}): FitReport<Params> => ({
  params,
  logLikelihood: -100,
  n: 50,
  converged: true,
  evaluations: 900,
  ...overrides,
});

describe('which fits can value a customer', () => {
  const cdnow = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

  it('accepts a converged BG/NBD fit, including the no-dropout limit off the optimizer’s wall', () => {
    expect(bgnbdFitProblem(report(cdnow))).toBeNull();
    expect(bgnbdFitProblem(report({ r: 6.55, alpha: 94.3, a: 3.5e-5, b: 1.6e10 }))).toBeNull();
  });

  it('refuses a BG/NBD fit that did not converge, ran into the wall, or has no finite likelihood, saying why', () => {
    expect(bgnbdFitProblem(report(cdnow, { converged: false, evaluations: 24_000 }))).toMatch(/did not converge in 24000 evaluations \(r=0\.243, alpha=4\.414/);
    expect(bgnbdFitProblem(report({ ...cdnow, b: Math.exp(24.8) }))).toMatch(/bound of e\^±25/);
    expect(bgnbdFitProblem(report(cdnow, { logLikelihood: -Infinity }))).toMatch(/log-likelihood is -Infinity/);
    expect(bgnbdFitProblem(report({ ...cdnow, a: NaN }))).toMatch(/^a must be positive and finite/);
  });

  it('refuses a Gamma-Gamma fit without a mean spend (q ≤ 1) or that did not converge', () => {
    expect(gammaGammaFitProblem(report({ p: 6.25, q: 3.74, v: 15.44 }))).toBeNull();
    expect(gammaGammaFitProblem(report({ p: 6.25, q: 1, v: 15.44 }))).toMatch(/no mean unless q > 1 \(p=6\.25, q=1, v=15\.44\)/);
    expect(gammaGammaFitProblem(report({ p: 7, q: 4e8, v: 3.8e10 }, { converged: false }))).toMatch(/did not converge/);
    expect(gammaGammaParamsProblem({ p: 1, q: 2, v: Infinity })).toMatch(/^v must be positive and finite/);
  });

  it('keeps an sBG fit on its way to the geometric limit, whose churn rate the ridge pins down, but not another that did not converge', () => {
    expect(sbgFitProblem(report({ alpha: 0.704, beta: 1.182 }))).toBeNull();
    expect(sbgFitProblem(report({ alpha: 3.9e8, beta: 9.0e8 }, { converged: false }))).toBeNull();
    expect(sbgFitProblem(report({ alpha: 0.7, beta: 1.2 }, { converged: false }))).toMatch(/did not converge/);
  });

  it('refuses an sBG fit with α or β on the lower wall: those who stay would never churn', () => {
    expect(sbgFitProblem(report({ alpha: 1.4e-11, beta: 1.4e-11 }))).toMatch(/bound of e\^-25.*alpha=1\.4e-11/);
    expect(sbgFitProblem(report({ alpha: 0.3, beta: Math.exp(-24.8) }))).toMatch(/bound of e\^-25/);
    expect(sbgFitProblem(report({ alpha: 1e-9, beta: 4e7 }))).toBeNull();
  });

  it('refuses renewal histories in which nobody has churned yet, counting the customers', () => {
    expect(sbgDataProblem([{ churned: false, count: 3 }, { churned: false }])).toMatch(/no customer of the segment has churned yet \(4 observed\)/);
    expect(sbgDataProblem([{ churned: false, count: 3 }, { churned: true }])).toBeNull();
  });
});
