# expect: ok
# stdout: {"a": [1, 2.5, null, true], "b": {"c": "\u00e9t\u00e9"}}
# stdout: {"a":[1,2.5,null,true],"b":{"c":"été"}}
# stdout: True
import json

doc = {"a": [1, 2.5, None, True], "b": {"c": "été"}}
text = json.dumps(doc)
print(text)
print(json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":")))
print(json.loads(text) == doc)
