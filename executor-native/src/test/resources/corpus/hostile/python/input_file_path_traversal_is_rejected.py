# expect: rejected
# input-file: ../../etc/cron.d/sandq=* * * * * root id
# error-contains: The input file path '../../etc/cron.d/sandq' has a '..' component
# files: none
# An input file named with '..' would be written outside the job's working directory if it were
# written as named. The worker refuses the job before anything runs, naming the path; the
# bootstrap would refuse it too (it opens each component under the directory without following
# links), and it runs inside the sandbox as the job's uid anyway.
print("never runs")
