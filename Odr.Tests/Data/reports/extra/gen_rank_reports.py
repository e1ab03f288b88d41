exec(open('gen.py').read().split("ug = 'ug_explicit_analytic_checked'")[0])
lin = dict(model=['B[0] + B[1]*x + B[2]*x'], p=3, beta0=[0.4, 0.4, 0.3],
           fjacb=[['1.0', 'x', 'x']], fjacd=[['B[1] + B[2]']])
run('rank_deficient_ols', 'tiny_line_n4', job=32, **lin)
run('rank_deficient_odr', 'tiny_line_n4', job=30, **lin)
run('rank_deficient_novcv', 'tiny_line_n4', job=232, **lin)
