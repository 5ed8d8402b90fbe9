# expect: rejected
# input-file: /etc/passwd=root::0:0:root:/root:/bin/sh
# error-contains: The input file path '/etc/passwd' is absolute
# files: none
# Input paths are relative to the working directory: an absolute one is refused before anything
# runs, naming the path, whatever it aims at.
print("never runs")
