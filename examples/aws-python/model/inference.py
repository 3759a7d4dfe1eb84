def predict(text):
    return {"positive": 0.5}
