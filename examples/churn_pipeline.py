"""Customer churn: a small pandas + scikit-learn pipeline for `mllint explain`."""
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

customers = pd.read_csv("data/customers.csv")
customers = customers[customers["tenure_months"] > 0]
customers["spend_per_month"] = customers["total_charges"] / customers["tenure_months"]

train, test = train_test_split(customers, test_size=0.25, random_state=0)

features = ColumnTransformer([
    ("plan", OneHotEncoder(handle_unknown="ignore"), ["contract_type", "payment_method"]),
    ("usage", Pipeline([
        ("impute", SimpleImputer(strategy="median")),
        ("scale", StandardScaler()),
    ]), ["tenure_months", "monthly_charges", "spend_per_month"]),
])
model = Pipeline([
    ("features", features),
    ("classifier", LogisticRegression(max_iter=1000)),
])
model.fit(train, train["churned"])
print("accuracy", model.score(test, test["churned"]))
