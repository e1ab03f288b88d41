import json, copy, os, numpy as np
from scipy import odr
cases = {c['name']: c for c in json.load(open('/work/shared/reference/odr-cases.json'))['cases']}
ns = dict(exp=np.exp, log=np.log, sin=np.sin, cos=np.cos, tan=np.tan, atan=np.arctan, atan2=np.arctan2,
          pow=np.power, sqrt=np.sqrt, fabs=np.abs)

def run(name, base, iprint=(2,2,1,2), **changes):
    c = copy.deepcopy(cases[base]); c['name'] = name
    for k, v in changes.items():
        if k == 'options': c['options'].update(v)
        else: c[k] = v
    m, q, p = c['m'], c['q'], c['p']
    implicit = c['kind'] == 'implicit'
    x = np.array(c['x'], float)
    def ev(formula, B, xx):
        return eval(formula, dict(ns, B=B, x=xx)) + 0*xx[0 if m > 1 else slice(None)]
    def fcn(B, xx):
        r = [ev(f, B, xx) for f in c['model']]
        return np.array(r[0] if q == 1 else r)
    fjacb = fjacd = None
    if c.get('fjacb'):
        def fjacb(B, xx):
            a = np.array([[ev(f, B, xx) for f in row] for row in c['fjacb']])  # q,p,n
            return a[0] if q == 1 else a
    if c.get('fjacd'):
        def fjacd(B, xx):
            a = np.array([[ev(f, B, xx) for f in row] for row in c['fjacd']])  # q,m,n
            if q == 1 and m == 1: return a[0, 0]
            return a[0] if q == 1 else a
    model = odr.Model(fcn, fjacb=fjacb, fjacd=fjacd, implicit=implicit)
    we = None if c['we'] is None else np.array(c['we'], float)
    wd = None if c['wd'] is None else np.array(c['wd'], float)
    y = q if implicit else np.array(c['y'], float)
    data = odr.Data(x, y, we=we, wd=wd)
    o = c['options']
    kw = {}
    for k in ['maxit', 'sstol', 'partol', 'taufac', 'stpb', 'stpd', 'sclb', 'scld']:
        if k in o: kw[k] = o[k]
    rpt = f'/tmp/extra/{name}.txt'
    if os.path.exists(rpt): os.remove(rpt)
    job = c['job'] % 10000
    r = odr.ODR(data, model, beta0=c['beta0'],
                delta0=None if c.get('delta0') is None else np.array(c['delta0'], float),
                ifixb=c.get('ifixb'), ifixx=None if c.get('ifixx') is None else np.array(c['ifixx']),
                job=job, rptfile=rpt, **kw)
    r.set_iprint(init=iprint[0], iter=iprint[1], iter_step=iprint[2], final=iprint[3])
    out = r.run()
    c['iprint'] = iprint[0]*1000 + iprint[1]*100 + iprint[2]*10 + iprint[3]
    c['info'] = int(out.info)
    json.dump(c, open(f'/tmp/extra/{name}.json', 'w'))
    print(name, out.info, out.stopreason)

ug = 'ug_explicit_analytic_checked'
run('short_explicit', ug, iprint=(1,1,1,1))
run('short_implicit_step2', 'ug_implicit_ellipse', iprint=(1,1,2,1))
run('fixed_parameter', ug, ifixb=[1, 0, 1])
run('varcalc1', ug, job=120)
run('varcalc2', ug, job=220)
run('varcalc2_fixed', ug, job=220, ifixb=[1, 0, 1])
run('maxit0', ug, options={'maxit': 0})
run('maxit2', ug, options={'maxit': 2})


run('ols_two_responses', 'bilinear_2in_2out_analytic', job=32)

for fac in ['1.003', '1.01', '1.05', '1.3']:
    bad = copy.deepcopy(cases[ug]['fjacb']); bad[0][2] = '(' + bad[0][2] + ') * ' + fac
    try:
        run('questionable_' + fac.replace('.', '_'), ug, fjacb=bad)
    except Exception as e:
        print(fac, 'EXC', e)
