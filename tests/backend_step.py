"One Distiller evaluation, an epoch of training and another evaluation, in whatever Keras backend KERAS_BACKEND names (used by test_backends.py)."
import json, sys
import numpy as np
import keras
from kd_nb.distiller import Distiller
from kd_nb.testing import synthetic_classes, tiny_mlp
x, y = synthetic_classes(n=256)
teacher, student = tiny_mlp(8, 16, 3, "teacher", seed=1), tiny_mlp(8, 0, 3, "student", seed=2)
w = np.load(sys.argv[1]); teacher.set_weights([w[f"t{i}"] for i in range(4)]); student.set_weights([w[f"s{i}"] for i in range(2)])
d = Distiller(student, teacher); d.compile(optimizer=keras.optimizers.SGD(0.1), alpha=0.3, temperature=4.0)
first = d.evaluate(x, y, batch_size=256, return_dict=True, verbose=0)
d.fit(x, y, batch_size=64, epochs=1, shuffle=False, verbose=0)
print(json.dumps({"backend": keras.backend.backend(), "before": first, "after": d.evaluate(x, y, batch_size=256, return_dict=True, verbose=0)}))
