namespace Odr.Tests.Bounds;

/// <summary>DODCNT (ODRPACK's implicit driver) runs the penalty passes one after another whatever
/// INFO a pass ended with; only a pass stopped by DODDRV's checks before its iterations ends the fit.</summary>
public class ImplicitPassTests
{
    private static (ODR Odr, Func<int> Calls) Circle(int rejectJacobianCall)
    {
        var rng = new Random(5);
        const int n = 20;
        var x = new double[2, n];
        for (int i = 0; i < n; i++)
        {
            double phi = 2 * Math.PI * i / n;
            x[0, i] = 1 + 3 * Math.Cos(phi) + 0.05 * (2 * rng.NextDouble() - 1);
            x[1, i] = 2 + 3 * Math.Sin(phi) + 0.05 * (2 * rng.NextDouble() - 1);
        }
        int calls = 0;
        var model = new Model(
            (b, v, f) =>
            {
                for (int i = 0; i < f.Length; i++)
                {
                    double u = v[2 * i] - b[0], w = v[2 * i + 1] - b[1];
                    f[i] = u * u + w * w - b[2] * b[2];
                }
            },
            fjacb: (b, v, jac) =>
            {
                if (++calls == rejectJacobianCall) throw new OdrStop();
                for (int i = 0; i < v.Length / 2; i++)
                {
                    jac[3 * i] = -2 * (v[2 * i] - b[0]);
                    jac[3 * i + 1] = -2 * (v[2 * i + 1] - b[1]);
                    jac[3 * i + 2] = -2 * b[2];
                }
            },
            fjacd: (b, v, jac) =>
            {
                for (int i = 0; i < v.Length / 2; i++)
                {
                    jac[2 * i] = 2 * (v[2 * i] - b[0]);
                    jac[2 * i + 1] = 2 * (v[2 * i + 1] - b[1]);
                }
            },
            isImplicit: true);
        var odr = new ODR(new Data(x), model, new[] { 0.8, 1.7, 2.5 });
        odr.SetJob(fitType: 1, deriv: 3);
        return (odr, () => calls);
    }

    [Fact]
    public void APassEndingWithAFatalInfoIsFollowedByTheNextPenaltyPass()
    {
        var clean = Circle(rejectJacobianCall: -1).Odr.Run();
        Assert.True(clean.Converged);

        // The Jacobian is refused at its third call: the first penalty pass stops with 51000.
        var (odr, calls) = Circle(rejectJacobianCall: 3);
        var o = odr.Run();

        // DODCNT carries on with the next pass (penalty 100, 1000, ...) from where the first stopped,
        // so the Jacobian is called again and the fit reaches the same circle.
        Assert.True(calls() > 3, $"the fit stopped after {calls()} Jacobian calls");
        for (int k = 0; k < 3; k++) Assert.Equal(clean.Beta[k], o.Beta[k], 1e-6);
    }
}
