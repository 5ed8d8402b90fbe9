# expect: ok
# stdout: 2024-07-01T14:00:00+02:00 CEST
# stdout: 2024-01-01T13:00:00+01:00 CET
# stdout: 2024-03-31 00:00:00+00:00
# stdout: 91 days, 0:00:00
from datetime import datetime, timezone, timedelta
from zoneinfo import ZoneInfo

paris = ZoneInfo("Europe/Paris")
summer = datetime(2024, 7, 1, 12, 0, tzinfo=timezone.utc).astimezone(paris)
winter = datetime(2024, 1, 1, 12, 0, tzinfo=timezone.utc).astimezone(paris)
print(summer.isoformat(), summer.tzname())
print(winter.isoformat(), winter.tzname())
print(datetime.fromisoformat("2024-03-31T00:00:00+00:00"))
print(datetime(2024, 4, 1) - datetime(2024, 1, 1))
