# Reference numbers for Odr's inference (issue 22), computed by R's own nls, logLik, AIC, BIC and
# MASS::confint (profile-t intervals), independently of Odr.
#
# Run from the repository root (Debian: apt-get install r-base-core r-cran-mass):
#   Rscript Odr.Tests/Data/inference/make_r_reference.R > Odr.Tests/Data/inference/r-nls-reference.json
#
# Each case is a NIST StRD problem fitted by ordinary least squares (optionally weighted) from its
# certified values. For each it records: the estimates and standard errors (summary.nls), the
# residual sum of squares and degrees of freedom, logLik/AIC/BIC, the t-based Wald intervals that
# summary.nls implies (est +/- qt(1 - a/2, df) * se; confint.default would use the normal), the
# profile intervals of MASS::confint (a spline through R's profile, accurate to 3-4 digits), and
# "exact" profile-t intervals: the roots of tau(b) = +/- qt found by uniroot, each tau from an nls
# refit with that parameter held fixed (tau = sign(b - bhat) sqrt(S(b) - S(bhat)) / s). A null bound means
# R could not locate it: MASS fails outright on Rat43 and Thurber, and where an nls refit fails (Gauss-Newton
# on Rat43 and Thurber far from the estimate) the exact search gives up on that side.
suppressPackageStartupMessages(library(MASS))

read_nist <- function(name) {
  lines <- readLines(file.path("Odr.Tests/Data/nist", paste0(name, ".dat")))
  start <- max(grep("^Data:", lines)) + 1
  d <- read.table(text = lines[start:length(lines)], header = FALSE)
  data.frame(y = d[[1]], x = d[[2]])
}

cases <- list(
  list(name = "Misra1a", f = function(b, x) b[1] * (1 - exp(-b[2] * x)),
       start = c(2.3894212918E+02, 5.5015643181E-04)),
  list(name = "Chwirut2", f = function(b, x) exp(-b[1] * x) / (b[2] + b[3] * x),
       start = c(1.6657666537E-01, 5.1653291286E-03, 1.2150007096E-02)),
  list(name = "DanWood", f = function(b, x) b[1] * x^b[2],
       start = c(7.6886226176E-01, 3.8604055871E+00)),
  list(name = "Rat43", f = function(b, x) b[1] / ((1 + exp(b[2] - b[3] * x))^(1 / b[4])),
       start = c(6.9964151270E+02, 5.2771253025E+00, 7.5962938329E-01, 1.2792483859E+00)),
  list(name = "Thurber", f = function(b, x) (b[1] + b[2] * x + b[3] * x^2 + b[4] * x^3) / (1 + b[5] * x + b[6] * x^2 + b[7] * x^3),
       start = c(1.2881396800E+03, 1.4910792535E+03, 5.8323836877E+02, 7.5416644291E+01,
                 9.6629502864E-01, 3.9797285797E-01, 4.9727297349E-02)),
  list(name = "BoxBOD", f = function(b, x) b[1] * (1 - exp(-b[2] * x)),
       start = c(2.1380940889E+02, 5.4723748542E-01)),
  # Weighted (arbitrary, documented weights, to exercise them): Misra1a with w = x, Chwirut2 with w = 1/x.
  list(name = "Misra1a", label = "Misra1a_weighted", weights = "x",
       f = function(b, x) b[1] * (1 - exp(-b[2] * x)),
       start = c(2.3894212918E+02, 5.5015643181E-04)),
  list(name = "Chwirut2", label = "Chwirut2_weighted", weights = "1/x",
       f = function(b, x) exp(-b[1] * x) / (b[2] + b[3] * x),
       start = c(1.6657666537E-01, 5.1653291286E-03, 1.2150007096E-02))
)

levels <- c(0.95, 0.9)
ctl <- nls.control(maxiter = 1000, tol = 1e-9, minFactor = 1e-14, nDcentral = TRUE)

# Tight fits; where Gauss-Newton cannot reach tol 1e-9 from the start (rounding noise at the optimum),
# a loose fit first, then the tight one from there, keeping its last iterate.
tight_nls <- function(formula, d, start, w) {
  r <- try(nls(formula, data = d, start = start, weights = w, control = ctl), silent = TRUE)
  if (!inherits(r, "try-error")) return(r)
  r1 <- nls(formula, data = d, start = start, weights = w,
            control = nls.control(maxiter = 1000, tol = 1e-6, minFactor = 1e-14, nDcentral = TRUE))
  st <- list(); st[[names(start)[1]]] <- unname(coef(r1))
  suppressWarnings(nls(formula, data = d, start = st, weights = w,
                       control = nls.control(maxiter = 50, tol = 1e-9, minFactor = 1e-14, nDcentral = TRUE, warnOnly = TRUE)))
}
fit_nls <- function(d, f, start, w) tight_nls(y ~ f(b, x), d, list(b = start), w)

g <- function(v) formatC(v, digits = 17, format = "g")
vec <- function(v) paste0("[", paste(sapply(v, function(e) if (is.na(e)) "null" else g(e)), collapse = ", "), "]")

out <- character()
for (cs in cases) {
  d <- read_nist(cs$name)
  label <- if (is.null(cs$label)) cs$name else cs$label
  w <- if (is.null(cs$weights)) rep(1, nrow(d)) else if (cs$weights == "x") d$x else 1 / d$x
  d$w <- w
  fit <- fit_nls(d, cs$f, cs$start, w)
  s <- summary(fit)
  est <- coef(fit)
  se <- s$coefficients[, 2]
  df <- s$df[2]
  S <- sum(w * residuals(fit)^2)
  sigma <- s$sigma
  p <- length(est)
  ll <- logLik(fit)

  # Exact profile-t by root finding, each tau from an nls refit with parameter k held at v.
  tau <- function(k, v) {
    others <- est[-k]
    fk <- function(th, x) { b <- numeric(p); b[-k] <- th; b[k] <- v; cs$f(b, x) }
    r <- tight_nls(y ~ fk(th, x), d, list(th = unname(others)), w)
    Sv <- sum(w * residuals(r)^2)
    sign(v - est[k]) * sqrt(max(Sv - S, 0)) / sigma
  }
  # Each side: step out from the estimate in multiples of the Wald half-width until tau passes the
  # quantile (at most 30 half-widths, as a profile that flattens never does), then uniroot.
  exact <- function(level) {
    q <- qt(1 - (1 - level) / 2, df)
    res <- matrix(NA, p, 2)
    for (k in 1:p) {
      for (side in c(-1, 1)) {
        inner <- est[k]; outer <- NA
        for (c in c(1.02, 1.5, 2, 3, 5, 8, 12, 20, 30)) {
          v <- est[k] + side * c * q * se[k]
          t <- try(side * tau(k, v), silent = TRUE)
          if (inherits(t, "try-error")) break
          if (t >= q) { outer <- v; break }
          inner <- v
        }
        if (is.na(outer)) next
        r <- try(uniroot(function(v) side * tau(k, v) - q, lower = min(inner, outer), upper = max(inner, outer),
                         tol = 1e-13 * max(1, abs(est[k]))), silent = TRUE)
        if (!inherits(r, "try-error")) res[k, if (side < 0) 1 else 2] <- r$root
      }
    }
    res
  }
  # MASS profiles with the fit's own control; it needs R's default tolerance to converge.
  fit_mass <- nls(y ~ cs$f(b, x), data = d, start = list(b = unname(est)), weights = w)

  entries <- c(
    sprintf('"name": "%s", "data": "%s"', label, cs$name),
    sprintf('"weights": %s', if (is.null(cs$weights)) '"none"' else paste0('"', cs$weights, '"')),
    sprintf('"start": %s', vec(cs$start)),
    sprintf('"beta": %s', vec(est)),
    sprintf('"sd_beta": %s', vec(se)),
    sprintf('"df": %d, "rss": %s, "sigma": %s', df, g(S), g(sigma)),
    sprintf('"logLik": %s, "logLik_df": %d, "nobs": %d, "AIC": %s, "BIC": %s',
            g(as.numeric(ll)), attr(ll, "df"), attr(ll, "nobs"), g(AIC(fit)), g(BIC(fit))))
  ints <- character()
  for (level in levels) {
    q <- qt(1 - (1 - level) / 2, df)
    wald <- cbind(est - q * se, est + q * se)
    mass <- tryCatch(suppressWarnings(suppressMessages(confint(fit_mass, level = level))), error = function(e) matrix(NA, p, 2))
    if (is.null(dim(mass))) mass <- matrix(mass, nrow = 1)
    ex <- exact(level)
    ints <- c(ints, sprintf('{"level": %s, "t": %s, "wald": [%s], "mass_profile": [%s], "exact_profile": [%s]}',
                            g(level), g(q),
                            paste(apply(wald, 1, vec), collapse = ", "),
                            paste(apply(mass, 1, vec), collapse = ", "),
                            paste(apply(ex, 1, vec), collapse = ", ")))
  }
  entries <- c(entries, sprintf('"intervals": [%s]', paste(ints, collapse = ", ")))
  out <- c(out, paste0("{", paste(entries, collapse = ", "), "}"))
}
cat('{"generator": "make_r_reference.R", "r_version": "', R.version.string, '", "mass_version": "',
    as.character(packageVersion("MASS")), '",\n "cases": [\n', paste(out, collapse = ",\n"), "\n]}\n", sep = "")
