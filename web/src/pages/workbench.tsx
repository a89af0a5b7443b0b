import { ComingSoon } from '../components/coming-soon.tsx';

/** Staff work queue. Placeholder until the case workflow exists. */
export default function WorkbenchPage() {
  return <ComingSoon titleKey="placeholder.workbenchTitle" bodyKey="placeholder.workbenchBody" />;
}
