# expect: ok
# stdout: Hello, Ada &amp; Bob!
# stdout: - apples: 3
# stdout: - pears: 5
# stdout: total=8
import jinja2

env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
print(env.from_string("Hello, {{ name }}!").render(name="Ada & Bob"))
template = env.from_string(
    "{% for k, v in items %}\n- {{ k }}: {{ v }}\n{% endfor %}\ntotal={{ items | map(attribute=1) | sum }}"
)
print(template.render(items=[("apples", 3), ("pears", 5)]))
