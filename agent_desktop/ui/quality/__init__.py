"""The Quality window (质检, issue 20): scorecards, the call picker, the scoring form beside the
call's player, evaluations with their pinned moments, disputes and calibration."""
