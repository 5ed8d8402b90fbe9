# expect: ok
# stdout: ['2024-01-15', '2025-12-31']
# stdout: dates: <date>, <date>
# stdout: {'user': 'ada', 'domain': 'example.org'}
import re

text = "dates: 2024-01-15, 2025-12-31"
pattern = re.compile(r"\d{4}-\d{2}-\d{2}")
print(pattern.findall(text))
print(pattern.sub("<date>", text))
print(re.match(r"(?P<user>\w+)@(?P<domain>[\w.]+)", "ada@example.org").groupdict())
