# expect: error
# input-file-zip-zeros: bomb.zip=67108864
# stderr-contains: No space left on device
# stdout: bomb.zip is small: True
# files: none
# A job brings a zip bomb as an input file: about 64 KB that unpacks to 64 MiB. The input itself is
# within the limits, so it is written and the job runs; unpacking it is the job's own doing, bounded
# by its /tmp (16 MiB by default): it fails with ENOSPC, an error of the job's, and nothing outside
# its sandbox fills up.
import os
import zipfile

print("bomb.zip is small:", os.path.getsize("bomb.zip") < 1 << 20, flush=True)
zipfile.ZipFile("bomb.zip").extractall("unpacked")
