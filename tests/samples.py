"""Small programs shared by the test modules: each holds exactly the findings its comment says.

One copy of each, so that a change to what the engine reports on them is made once.
"""

#: One ML101 on line 4: a statistic computed over all rows before a manual split.
STATISTIC_LEAK = """\
import pandas as pd
from sklearn.linear_model import Ridge
df = pd.read_csv("sales.csv")
df["x"] = (df["x"] - df["x"].mean()) / df["x"].std()
train, test = df[:800], df[800:]
model = Ridge().fit(train[["x"]], train["y"])
print(model.score(test[["x"]], test["y"]))
"""

#: One ML101 on line 7 (line 6 0-based): the scaler sees all rows, the split comes after.
SCALER_LEAK = """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVR
df = pd.read_csv("concrete.csv", names=["cement", "water", "slag", "strength"])
X = df.drop(columns=["strength"])
X_scaled = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X_scaled, df["strength"])
model = SVR().fit(X_train, y_train)
print(model.score(X_test, y_test))
"""
