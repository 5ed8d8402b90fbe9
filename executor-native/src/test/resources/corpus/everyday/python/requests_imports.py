# expect: ok
# stdout: requests imported
# stdout: GET http://example.org/search?q=sandq
# (urllib3 opens an AF_INET6 socket and binds ::1 while it is imported: with the network off
# the policy must still let that fail softly rather than kill the job.)
import requests

print("requests imported")
prepared = requests.Request("GET", "http://example.org/search", params={"q": "sandq"}).prepare()
print(prepared.method, prepared.url)
