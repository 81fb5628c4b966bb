// Review dates: approved models say when they were reviewed; reviews fall due.
import { days, daysBetween } from '../dates.ts';
import type { ModelCheck } from './types.ts';

export const reviewCheck: ModelCheck = {
  rules: [
    {
      id: 'missing-review-date',
      severity: 'error',
      title: 'An approved model has no review date',
      description: 'Approval is a review; `reviewed` records when it happened and starts the review interval.',
      help: 'Add `reviewed: YYYY-MM-DD` (and `reviewers`).',
    },
    {
      id: 'review-overdue',
      severity: 'warning',
      title: 'The model is due for review',
      description: 'The review date (`review_by`, or `reviewed` plus `review_interval_days`, default 180) has passed.',
      help: 'Review the model with the team, then update `reviewed` (and `review_by` if you set it).',
    },
  ],
  check({ model, data, today, report }) {
    if (model.status === 'approved' && !model.reviewed && !Object.hasOwn(data, 'reviewed')) {
      report('missing-review-date', 'the model is approved but has no `reviewed` date', ['status'], { subject: model.id });
    }
    if (model.reviewState === 'overdue' && model.reviewBy) {
      const explicit = Object.hasOwn(data, 'review_by');
      report(
        'review-overdue',
        `review overdue since ${model.reviewBy} (${days(daysBetween(model.reviewBy, today))})${explicit ? '' : `, ${model.reviewed ? `last reviewed ${model.reviewed}` : ''}`}`,
        [explicit ? 'review_by' : 'reviewed'],
        { subject: model.id },
      );
    }
  },
};
