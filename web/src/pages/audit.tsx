import { ComingSoon } from '../components/coming-soon.tsx';

/** Auditor's view of the hash-chained audit log. Placeholder until the audit API exists. */
export default function AuditPage() {
  return <ComingSoon titleKey="placeholder.auditTitle" bodyKey="placeholder.auditBody" />;
}
