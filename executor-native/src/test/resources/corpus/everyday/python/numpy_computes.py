# expect: ok
# stdout: 4950
# stdout: [[19 22]
# stdout:  [43 50]]
# stdout: -2.0
# stdout: 2.8722813232690143
# stdout: [0. 1. 2. 3.]
import numpy as np

print(np.arange(100).sum())
a = np.array([[1, 2], [3, 4]])
b = np.array([[5, 6], [7, 8]])
print(a @ b)
print(round(float(np.linalg.det(a)), 6))
print(np.std(np.arange(10)))
print(np.linalg.solve(np.eye(4), np.arange(4.0)))
