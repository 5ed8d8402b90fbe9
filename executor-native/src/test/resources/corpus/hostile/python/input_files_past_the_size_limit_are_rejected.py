# expect: rejected
# input-file-zeros: part-1.bin=5000000
# input-file-zeros: part-2.bin=5000000
# error-contains: over the limit of 8388608 bytes together (at 'part-2.bin'
# files: none
# Input files decoded past the worker's limit (8 MiB together by default, --max-input-files-bytes)
# are refused before anything is written, naming the file at which the sum went over: they could
# not fit in the job's /tmp beside what it writes. (A job that unpacks an archive it brought is
# bounded by its /tmp's size instead: filling_tmp_stops_with_no_space.)
print("never runs")
