import {
  type CompetitorView,
  type ImportPreview,
  type ImportReport,
  type ImportRequest,
  teamSize,
} from '@jiangxin/shared';
import { type ChangeEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { devicesApi, type ImportTarget, setupApi } from '../common/api/endpoints';
import { Status } from '../common/ui/Status';
import { useChosenEvent, useCompetitionId, useStaffMutation, useStaffQuery } from './data';
import { EventPicker } from './EventPicker';
import {
  type ImportKind,
  importRequestOf,
  type PreviewLine,
  previewLines,
  previewTeams,
  templateCsv,
} from './importFile';
import { Problem } from './Shell';
import { saveFile } from './saveFile';

/** Registration: competitors (per event) and judges (of the competition) from CSV or XLSX, checked first. */
export function RegistrationPage() {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  const { chosen } = useChosenEvent();
  return (
    <>
      <EventPicker />
      {chosen && (
        <ImportSection
          key={chosen.id}
          kind={teamSize(chosen) ? 'teams' : 'competitors'}
          title={
            teamSize(chosen)
              ? t('import.teams', {
                  event: chosen.name,
                  min: teamSize(chosen)?.min,
                  max: teamSize(chosen)?.max,
                })
              : t('import.competitors', { event: chosen.name })
          }
          target={{ kind: 'competitors', eventId: chosen.id }}
          refresh={[['competitors', chosen.id]]}
        />
      )}
      {chosen && <CompetitorList eventId={chosen.id} teams={teamSize(chosen) !== null} />}
      <ImportSection
        kind="judges"
        title={t('import.judges')}
        target={{ kind: 'judges' }}
        refresh={[['judges', competitionId]]}
      />
      <JudgeList />
    </>
  );
}

/**
 * One import: download the template, choose a file, see every row as it would be registered and every
 * problem beside its row; the import is sent only once no row has a problem.
 */
function ImportSection({
  kind,
  title,
  target,
  refresh,
}: {
  kind: ImportKind;
  title: string;
  target: ImportTarget;
  refresh: string[][];
}) {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  const [file, setFile] = useState<{ name: string; request: ImportRequest } | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const preview = useStaffMutation(
    (request: ImportRequest, o) => setupApi.previewImport(competitionId, target, request, o),
    [],
  );
  const save = useStaffMutation(
    (request: ImportRequest, o) => setupApi.import(competitionId, target, request, o),
    refresh,
  );
  const [unreadable, setUnreadable] = useState(false);
  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    const chosen = e.target.files?.[0];
    e.target.value = '';
    setReport(null);
    preview.reset();
    save.reset();
    if (!chosen) return;
    const request = importRequestOf(chosen.name, new Uint8Array(await chosen.arrayBuffer()));
    setUnreadable(request === null);
    setFile(request ? { name: chosen.name, request } : null);
    if (request) preview.mutate(request);
  };
  const checked = preview.data;
  const ready = file && checked && checked.rejected.length === 0 && checked.accepted > 0;
  return (
    <section className="organizer-card" data-testid={`import-${kind}`}>
      <h2>{title}</h2>
      <div className="form-row">
        <button
          type="button"
          className="button"
          onClick={() =>
            saveFile(
              new Blob([templateCsv(kind)], { type: 'text/csv;charset=utf-8' }),
              t(`import.templateName.${kind}`),
            )
          }
        >
          {t('import.template')}
        </button>
        <label className="button file-button">
          {t('import.choose')}
          <input
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => void choose(e)}
            data-testid={`file-${kind}`}
          />
        </label>
        {file && <span className="muted">{file.name}</span>}
      </div>
      <p className="muted small">{t('import.hint')}</p>
      {unreadable && <p className="status error">{t('import.empty')}</p>}
      {preview.isPending && <p className="status">{t('import.checking')}</p>}
      <Problem error={preview.error} testId={`import-${kind}-error`} />
      {checked && <PreviewTable kind={kind} preview={checked} />}
      {checked && checked.rejected.length > 0 && (
        <p className="status error" role="alert" data-testid={`import-${kind}-blocked`}>
          {t('import.blocked', { count: new Set(checked.rejected.map((r) => r.row)).size })}
        </p>
      )}
      {file && checked && (
        <button
          type="button"
          className="button primary"
          disabled={!ready || save.isPending || report !== null}
          onClick={() =>
            save.mutate(file.request, {
              onSuccess: (done) => {
                setReport(done);
                setFile(null);
                preview.reset();
              },
            })
          }
        >
          {t('import.save', { count: checked.accepted })}
        </button>
      )}
      <Problem error={save.error} />
      {report && (
        <p className="status ok" role="status" data-testid={`import-${kind}-done`}>
          {t('import.done', { count: report.accepted })}
          {report.rejected.length > 0 && ` ${t('import.doneRejected', { count: report.rejected.length })}`}
        </p>
      )}
    </section>
  );
}

function PreviewTable({ kind, preview }: { kind: ImportKind; preview: ImportPreview }) {
  const { t } = useTranslation('organizer');
  const lines = previewLines(preview);
  const person = kind !== 'judges';
  const columns = person ? 8 : 5;
  const yesNo = (value: boolean | undefined) => (value === undefined ? '' : value ? t('yes') : t('no'));
  // A refused row shows its cells as read, the cell at fault marked.
  const cell = (line: PreviewLine, field: 'name' | 'unit' | 'region' | 'frontline' | 'unionMember') => {
    if (line.person) {
      const value = line.person[field];
      return <td>{typeof value === 'boolean' ? yesNo(value) : value}</td>;
    }
    const wrong = line.problems.some((p) => p.field === field);
    return <td className={wrong ? 'wrong' : undefined}>{line.cells[field] ?? ''}</td>;
  };
  return (
    <div className="scroll-y">
      <table className="org-table preview" data-testid={`preview-${kind}`}>
        <caption>
          {t('import.summary', {
            good: preview.accepted,
            bad: new Set(preview.rejected.map((r) => r.row)).size,
          })}
          {preview.teams !== undefined && t('import.teamsReady', { count: preview.teams })}
        </caption>
        <thead>
          <tr>
            <th>{t('import.row')}</th>
            <th>{t('person.name')}</th>
            <th>{t('person.unit')}</th>
            <th>{t('person.region')}</th>
            {person && (
              <>
                <th>{t('person.frontline')}</th>
                <th>{t('person.unionMember')}</th>
                <th>{t('person.idNumber')}</th>
              </>
            )}
            <th>{t('import.problems')}</th>
          </tr>
        </thead>
        {(kind === 'teams' ? previewTeams(lines) : [{ team: null, lines }]).map((group) => (
          <tbody key={group.team ?? ''} data-team={group.team ?? undefined}>
            {group.team !== null && (
              <tr className="team-head">
                <th colSpan={columns}>
                  {group.team === ''
                    ? t('import.noTeam')
                    : t('import.team', { team: group.team, count: group.lines.length })}
                </th>
              </tr>
            )}
            {group.lines.map((line) => (
              <tr key={line.row} className={line.problems.length > 0 ? 'refused' : ''} data-row={line.row}>
                <td className="num">{line.row}</td>
                {cell(line, 'name')}
                {cell(line, 'unit')}
                {cell(line, 'region')}
                {person && (
                  <>
                    {cell(line, 'frontline')}
                    {cell(line, 'unionMember')}
                    <td className="mono">{line.person?.idNumberMasked}</td>
                  </>
                )}
                <td>
                  {line.problems.length === 0 ? (
                    <span className="ok">{t('import.rowOk')}</span>
                  ) : (
                    <ul className="problems">
                      {line.problems.map((p) => (
                        <li key={p.field + p.message}>{p.message}</li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}

function CompetitorList({ eventId, teams }: { eventId: string; teams: boolean }) {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  const list = useStaffQuery(['competitors', eventId], (o) =>
    setupApi.competitors(competitionId, eventId, o),
  );
  return (
    <section className="organizer-card">
      <h2>{t(teams ? 'registered.teams' : 'registered.competitors', { count: list.data?.length ?? 0 })}</h2>
      <Status query={list} />
      {list.data && list.data.length > 0 && (
        <div className="scroll-y">
          <table className="org-table" data-testid="competitors">
            <thead>
              <tr>
                <th>{t('draw.entryNumber')}</th>
                <th>{t('person.name')}</th>
                <th>{t('person.unit')}</th>
                <th>{t('person.region')}</th>
                <th>{t('person.idNumber')}</th>
                {teams && <th />}
              </tr>
            </thead>
            {list.data.map((c) => (
              <tbody key={c.id} data-competitor={c.name}>
                <tr className={teams ? 'team-head' : undefined}>
                  <td className="num">{c.entryNumber ?? '—'}</td>
                  <td>{c.name}</td>
                  <td>{c.unit}</td>
                  <td>{c.region}</td>
                  <td className="mono">{c.idNumberMasked}</td>
                  {teams && <td />}
                </tr>
                {c.members?.map((m) => (
                  <MemberRow key={m.id} eventId={eventId} team={c} member={m} />
                ))}
                {teams && <AddMemberRow eventId={eventId} team={c} />}
              </tbody>
            ))}
          </table>
        </div>
      )}
    </section>
  );
}

type Member = NonNullable<CompetitorView['members']>[number];

/** A team's member under the team, editable in place by the organizer (name, unit, region, the flags). */
function MemberRow({ eventId, team, member }: { eventId: string; team: CompetitorView; member: Member }) {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  const [draft, setDraft] = useState<Member | null>(null);
  const save = useStaffMutation(
    (body: Member, o) =>
      setupApi.updateTeamMember(
        competitionId,
        { competitorId: team.id, memberId: member.id },
        {
          name: body.name,
          unit: body.unit,
          region: body.region,
          frontline: body.frontline,
          unionMember: body.unionMember,
        },
        o,
      ),
    [['competitors', eventId]],
  );
  const remove = useStaffMutation(
    (_: undefined, o) =>
      setupApi.removeTeamMember(competitionId, { competitorId: team.id, memberId: member.id }, o),
    [['competitors', eventId]],
  );
  if (!draft)
    return (
      <tr className="member" data-member={member.name}>
        <td />
        <td title={t('member.of', { team: team.name })}>└ {member.name}</td>
        <td>{member.unit}</td>
        <td>{member.region}</td>
        <td className="mono">{member.idNumberMasked}</td>
        <td>
          <button type="button" className="button small" onClick={() => setDraft(member)}>
            {t('member.edit')}
          </button>{' '}
          <button
            type="button"
            className="button small"
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(t('member.confirmRemove', { team: team.name, name: member.name })))
                remove.mutate(undefined);
            }}
          >
            {t('member.remove')}
          </button>
          {remove.error && <span className="field-problem">{remove.error.message}</span>}
        </td>
      </tr>
    );
  const text = (field: 'name' | 'unit' | 'region') => (
    <td>
      <input
        value={draft[field]}
        aria-label={t(`person.${field}`)}
        onChange={(e) => setDraft({ ...draft, [field]: e.target.value })}
      />
    </td>
  );
  const flag = (field: 'frontline' | 'unionMember') => (
    <label className="small">
      <input
        type="checkbox"
        checked={draft[field]}
        onChange={(e) => setDraft({ ...draft, [field]: e.target.checked })}
      />
      {t(`person.${field}`)}
    </label>
  );
  return (
    <tr className="member editing" data-member={member.name}>
      <td />
      {text('name')}
      {text('unit')}
      {text('region')}
      <td>
        {flag('frontline')} {flag('unionMember')}
      </td>
      <td>
        <button
          type="button"
          className="button small primary"
          disabled={save.isPending}
          onClick={() => save.mutate(draft, { onSuccess: () => setDraft(null) })}
        >
          {t('member.save')}
        </button>{' '}
        <button type="button" className="button small" onClick={() => setDraft(null)}>
          {t('member.cancel')}
        </button>
        {save.error && <span className="field-problem">{save.error.message}</span>}
      </td>
    </tr>
  );
}

/** Sets a judge's PIN (4 to 8 digits), with which the judge signs in on a paired tablet. */
function PinForm({ judgeId, name }: { judgeId: string; name: string }) {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  const [pin, setPin] = useState('');
  const save = useStaffMutation(
    (value: string, o) => devicesApi.setPin(competitionId, judgeId, { pin: value }, o),
    [],
  );
  const valid = /^\d{4,8}$/.test(pin);
  return (
    <form
      className="pin-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) save.mutate(pin, { onSuccess: () => setPin('') });
      }}
    >
      <input
        type="password"
        inputMode="numeric"
        autoComplete="off"
        value={pin}
        onChange={(e) => {
          setPin(e.target.value.trim());
          save.reset();
        }}
        aria-label={t('pin.label', { name })}
        placeholder={t('pin.placeholder')}
      />
      <button type="submit" className="button small" disabled={!valid || save.isPending}>
        {t('pin.set')}
      </button>
      {save.isSuccess && <span className="ok small">{t('pin.saved')}</span>}
      {save.error && <span className="field-problem">{save.error.message}</span>}
    </form>
  );
}

function JudgeList() {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  const list = useStaffQuery(['judges', competitionId], (o) => setupApi.judges(competitionId, o));
  return (
    <section className="organizer-card">
      <h2>{t('registered.judges', { count: list.data?.length ?? 0 })}</h2>
      <Status query={list} />
      {list.data && list.data.length > 0 && (
        <table className="org-table" data-testid="judges">
          <thead>
            <tr>
              <th>{t('person.name')}</th>
              <th>{t('person.unit')}</th>
              <th>{t('person.region')}</th>
              <th>{t('pin.title')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((j) => (
              <tr key={j.id} data-judge={j.name}>
                <td>{j.name}</td>
                <td>{j.unit}</td>
                <td>{j.region}</td>
                <td>
                  <PinForm judgeId={j.id} name={j.name} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A new member typed under the team, added after a confirmation (the server holds the team size). */
function AddMemberRow({ eventId, team }: { eventId: string; team: CompetitorView }) {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  const empty = { name: '', unit: '', region: '', idNumber: '', frontline: true, unionMember: true };
  const [draft, setDraft] = useState<typeof empty | null>(null);
  const add = useStaffMutation(
    (body: typeof empty, o) =>
      setupApi.addTeamMember(
        competitionId,
        team.id,
        {
          name: body.name.trim(),
          unit: body.unit.trim(),
          region: body.region.trim(),
          frontline: body.frontline,
          unionMember: body.unionMember,
          ...(body.idNumber.trim() ? { idNumber: body.idNumber.trim() } : {}),
        },
        o,
      ),
    [['competitors', eventId]],
  );
  if (!draft)
    return (
      <tr className="member-add">
        <td />
        <td colSpan={5}>
          <button type="button" className="button small" onClick={() => setDraft(empty)}>
            + {t('member.add')}
          </button>
        </td>
      </tr>
    );
  const text = (field: 'name' | 'unit' | 'region' | 'idNumber') => (
    <td>
      <input
        name={`new-member-${field}`}
        value={draft[field]}
        aria-label={t(`person.${field}`)}
        onChange={(e) => setDraft({ ...draft, [field]: e.target.value })}
      />
    </td>
  );
  return (
    <tr className="member-add editing" data-testid={`add-member-${team.name}`}>
      <td />
      {text('name')}
      {text('unit')}
      {text('region')}
      {text('idNumber')}
      <td>
        <button
          type="button"
          className="button small primary"
          disabled={add.isPending || draft.name.trim() === ''}
          onClick={() => {
            if (window.confirm(t('member.confirmAdd', { team: team.name, name: draft.name.trim() })))
              add.mutate(draft, { onSuccess: () => setDraft(null) });
          }}
        >
          {t('member.add')}
        </button>{' '}
        <button type="button" className="button small" onClick={() => setDraft(null)}>
          {t('member.cancel')}
        </button>
        {add.error && <span className="field-problem">{add.error.message}</span>}
      </td>
    </tr>
  );
}
