# expect: ok
# stdout: team
# stdout: blue    12.5
# stdout: red     20.0
# stdout: Name: score, dtype: float64
# stdout: 2
# stdout: 2024-01-03
import pandas as pd

df = pd.DataFrame({"team": ["red", "blue", "red", "blue"], "score": [10, 15, 30, 10]})
print(df.groupby("team")["score"].mean())
print(int((df["score"] > 10).sum()))
dates = pd.date_range("2024-01-01", periods=3, freq="D")
print(dates[-1].date())
