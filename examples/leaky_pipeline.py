"""Customer churn again, written the way it often is: `mllint check` finds two mistakes here.

- the scaler learns its means and deviations from every row, test rows included (ML101);
- the model is fit with the label's own twin among its features (ML104).
"""
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

customers = pd.read_csv("data/customers.csv")
customers["churn_flag"] = customers["churned"] * 1

features = customers[["tenure_months", "monthly_charges", "churn_flag"]]
scaled = StandardScaler().fit_transform(features)

X_train, X_test, y_train, y_test = train_test_split(scaled, customers["churned"], random_state=0)
model = LogisticRegression().fit(X_train, y_train)
print("accuracy", model.score(X_test, y_test))
