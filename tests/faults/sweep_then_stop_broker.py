"""Run as a process of its own by test_broker_outage: the sweep task's code, with the broker (the test's own
redis-server, whose port is the second argument) shut down right after the sweep has claimed, before the
send tasks are queued."""

import sys

import django

if __name__ == "__main__":
    django.setup()
    import redis

    from federation.reminders import tasks

    day, port = sys.argv[1], int(sys.argv[2])
    claim = tasks.reminders_sweep

    def claim_then_stop_broker(**kwargs):
        result = claim(**kwargs)
        try:
            redis.Redis(port=port).shutdown(nosave=True)
        except redis.exceptions.ConnectionError:
            pass  # shutting down closes the connection
        return result

    tasks.reminders_sweep = claim_then_stop_broker
    print(tasks.sweep_reminders.run(day))
